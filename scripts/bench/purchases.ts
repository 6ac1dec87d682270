// Purchase benchmark: robot purchases through the Nginx gateway of the local stack.
//
//   npm run bench -- purchases [options]      (sets up the stack, see run.sh)
//
// Sets up its own store (an admin makes it), a store terminal that stocks it with many items of
// large stock and one hot item, a robot and a passenger (an engineer with STORE_LOGIN and
// ROBOT_LOGIN registers the devices, which log in with the reference device client). Measures the
// bare-endpoint floor with the same client, then purchases of one unit with an Idempotency-Key:
// spread over the items, and contended on the hot item. Prints purchases/s, p50/p99 and the ratio
// to the floor, then checks that no item was oversold (each item's stock fell by exactly the
// units sold, never below zero). Deletes what it created at the end.
import { randomUUID } from 'node:crypto';
import { DeviceClient } from '@platform/device-client';
import {
  type BenchOptions,
  type LoadResult,
  measureBareEndpoint,
  parseBenchOptions,
  printReport,
  report,
  runLoad,
} from './lib/load';
import { GatewayClient, keycloakToken } from './lib/platform-api';

const USAGE = `usage: npm run bench -- purchases [--count N] [--concurrency C] [--seconds S]
       [--warmup W] [--items I] [--gateway-url URL]
  --count        purchases per mode (default 3000, at most 100000)
  --concurrency  purchases in flight (default 16, at most 256)
  --seconds      time budget per mode and for the floor (default 30, at most 600)
  --warmup       purchases before measuring (default 100)
  --items        items the spread mode buys across (default 200, at most 2000)
  --gateway-url  default $GATEWAY_URL or http://127.0.0.1:8080 (loopback only)`;

const STORE = '/store_api/v1';
const BASE = '/base_api/v1';
/** Far more than any run can sell: the benchmark measures sales, not refusals. */
const STOCK = 1_000_000;

type Options = BenchOptions<'warmup' | 'items'>;

const parseOptions = (): Options | null =>
  parseBenchOptions(
    USAGE,
    {
      count: { fallback: 3000, max: 100_000 },
      concurrency: { fallback: 16, max: 256, min: 1 },
      seconds: { fallback: 30, max: 600, min: 1 },
    },
    { warmup: { fallback: 100, max: 10_000 }, items: { fallback: 200, max: 2000, min: 1 } },
  );

/** One purchase of one unit, as the kiosk makes it, with an Idempotency-Key. */
async function purchase(
  gatewayUrl: string,
  robotToken: string,
  storeId: string,
  userId: string,
  itemId: string,
): Promise<void> {
  const response = await fetch(`${gatewayUrl}${STORE}/robot/store/${storeId}/make_purchase`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${robotToken}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({
      user_id: userId,
      items: [{ item_id: itemId, count: 1 }],
      is_default_ready: true,
      additional_data: {},
    }),
  });
  const body = (await response.json()) as { code?: string; message?: string };
  if (response.status !== 200) {
    throw Object.assign(new Error(body.message ?? 'purchase failed'), {
      status: response.status,
      code: body.code,
    });
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!options) {
    console.log(USAGE);
    return;
  }
  const { gatewayUrl } = options;
  const suffix = randomUUID().slice(0, 8);
  const admin = new GatewayClient(gatewayUrl, await keycloakToken(gatewayUrl, 'dev-admin'));
  const engineer = { login: `bench-eng-${suffix}`, password: `bench-${randomUUID()}` };
  const engineerId = String((await admin.call('POST', `${BASE}/admin/engineer`, engineer))['id']);
  const devices: string[] = [];
  let storeId: string | undefined;
  let userId: string | undefined;
  try {
    await admin.call('PUT', `${BASE}/admin/engineer_privileges`, {
      id: engineerId,
      privileges: ['STORE_LOGIN', 'ROBOT_LOGIN'],
    });
    storeId = String(
      (
        await admin.call('POST', `${STORE}/admin/store`, {
          name: `bench-store-${suffix}`,
          store_type: 'SHOP',
        })
      )['id'],
    );
    userId = String(
      (await admin.call('POST', `${BASE}/admin/user`, { name: 'Bench Rider' }))['id'],
    );
    const login = async (kind: 'store' | 'robot'): Promise<string> => {
      const keys = await DeviceClient.generateKeyPair('ed25519');
      const client = new DeviceClient({ baseUrl: gatewayUrl, kind });
      const { deviceId } = await client.register({
        engineerLogin: engineer.login,
        engineerPassword: engineer.password,
        publicKeyPem: keys.publicKeyPem,
        ...(kind === 'store'
          ? { storeId }
          : { robotModelId: `BENCH-${suffix}`, robotModelName: 'BenchRobot:1' }),
      });
      devices.push(deviceId);
      return client.loginWithSignature(deviceId, keys.privateKey);
    };
    const terminal = new GatewayClient(gatewayUrl, await login('store'));
    const robotToken = await login('robot');
    // The robot identifies its passenger by a ticket's QR code, as the kiosk does: a robot buys
    // only for the passenger it identified last.
    const door = { station_id: 'MOSCOW', train_number: 1013, wagon_number: 5 };
    const day = new Date(Date.now() + 4000 * 86_400_000).toISOString().slice(0, 10);
    const place = 1 + Math.floor(Math.random() * 120);
    const ticket = await admin.call('POST', `${BASE}/admin/ticket`, {
      ...door,
      user_id: userId,
      place_number: place,
      destination: 'SPB',
      date: `${day}T09:00:00+03:00`,
    });
    const robot = new GatewayClient(gatewayUrl, robotToken);
    await robot.call('POST', `${BASE}/robot/ticket_validation`, {
      ...door,
      date: `${day}T06:00:00Z`,
      code: ticket['code'],
      mark_as_used: false,
    });
    const addItem = async (name: string): Promise<string> =>
      String(
        (
          await terminal.call('POST', `${STORE}/store/item`, {
            name,
            description: 'bench',
            logo_url: 'bench.png',
            balance: STOCK,
            price_penny: 100,
            category: 'bench',
          })
        )['id'],
      );
    const items: string[] = [];
    for (let i = 0; i < options.items; i++) items.push(await addItem(`item-${i}`));
    const hot = await addItem('hot');
    const sold = new Map<string, number>([...items, hot].map((id) => [id, 0]));

    // Both were set above, before anything could be bought.
    const [shop, passenger] = [storeId, userId];
    const buy = async (itemId: string): Promise<void> => {
      await purchase(gatewayUrl, robotToken, shop, passenger, itemId);
      sold.set(itemId, (sold.get(itemId) ?? 0) + 1);
    };
    const spreadItem = (sequence: number) => items[sequence % items.length] ?? hot;
    const modes: [string, (sequence: number) => string][] = [
      [`spread over ${items.length} items`, spreadItem],
      ['hot item', () => hot],
    ];

    const floor = await measureBareEndpoint(gatewayUrl, {
      ...options,
      count: Number.MAX_SAFE_INTEGER,
      seconds: Math.min(options.seconds, 15),
    });
    const results: LoadResult[] = [];
    for (const [name, pick] of modes) {
      if (options.warmup > 0) {
        await runLoad(
          name,
          { ...options, count: options.warmup },
          () => undefined,
          (_w, s) => buy(pick(s)),
        );
      }
      results.push(
        await runLoad(
          name,
          options,
          () => undefined,
          (_w, s) => buy(pick(s)),
        ),
      );
    }
    printReport(
      report('robot purchases', gatewayUrl, options.concurrency, floor, results),
      'purchases',
    );

    // No oversell: each item's stock fell by exactly the units the benchmark was sold.
    const store = await new GatewayClient(gatewayUrl, robotToken).call(
      'GET',
      `${STORE}/robot/store/${storeId}`,
    );
    const balances = new Map(
      (store['items'] as { id: string; balance: number }[]).map((item) => [item.id, item.balance]),
    );
    const wrong = [...sold].filter(([id, units]) => STOCK - (balances.get(id) ?? -1) !== units);
    const negative = [...balances.values()].filter((balance) => balance < 0).length;
    const unitsSold = [...sold.values()].reduce((sum, units) => sum + units, 0);
    console.log(
      `stock check: ${unitsSold} units sold in ${sold.size} items; items whose stock decrease ` +
        `differs from units sold: ${wrong.length}; negative stock: ${negative}`,
    );
    if (wrong.length > 0 || negative > 0 || results.some((r) => r.failures > 0)) {
      process.exitCode = 1;
    }
  } finally {
    if (storeId) await admin.call('DELETE', `${STORE}/admin/store/${storeId}`).catch(warn);
    for (const id of devices) await admin.call('DELETE', `${BASE}/admin/devices/${id}`).catch(warn);
    if (userId) await admin.call('DELETE', `${BASE}/admin/users/${userId}`).catch(warn);
    await admin.call('DELETE', `${BASE}/admin/engineers/${engineerId}`).catch(warn);
  }
}

function warn(error: unknown): void {
  console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
