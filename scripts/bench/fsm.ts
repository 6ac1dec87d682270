// Delivery state-machine benchmark: transitions through the Nginx gateway of the local stack.
//
//   npm run bench -- fsm [options]
//
// Sets itself up through the API: two lockers with one S cell per order, orders (pickup by
// courier) created by dev-client, the courier dev-courier. Each operation is one transition:
// the courier takes the pickup leg (order_assign_courier1_to_order) or gives it back
// (order_courier1_cancel), alternately. Every one of them is the full service path: Keycloak
// token check, row lock (SELECT ... FOR UPDATE), decide(), the state UPDATE with its
// compare-and-set, the leg write, the audit row, COMMIT, then the BullMQ timeout of the new
// state scheduled and the old one cancelled.
//
// - uncontended: each worker cycles its own order (no two callers share a row lock);
// - contended: every worker fires on ONE order; a caller that lost the race gets 409 with the
//   current state (counted as an answered operation: it went through the lock and decide()), and
//   the transitions that won are reported separately.
// Both are printed with their ratio to the bare endpoint measured in the same run.
import {
  type BenchOptions,
  measureBareEndpoint,
  parseBenchOptions,
  printReport,
  report,
  runLoad,
} from './lib/load';
import { GatewayClient, keycloakToken } from './lib/platform-api';

const USAGE = `usage: npm run bench -- fsm [--count N] [--concurrency C] [--seconds S] [--gateway-url URL]
  --count        transitions per mode (default 4000, at most 200000)
  --concurrency  callers in flight (default 16, at most 64)
  --seconds      time budget per mode and for the floor (default 20, at most 600)
  --gateway-url  default $GATEWAY_URL or http://127.0.0.1:8080 (loopback only)`;

const V1 = '/delivery_api/v1';
const TAKE = 'order_assign_courier1_to_order';
const GIVE_BACK = 'order_courier1_cancel';

type Options = BenchOptions<never>;

const parseOptions = (): Options | null =>
  parseBenchOptions(USAGE, {
    count: { fallback: 4000, max: 200_000 },
    concurrency: { fallback: 16, max: 64, min: 1 },
    seconds: { fallback: 20, max: 600 },
  });

async function fire(
  gatewayUrl: string,
  token: string,
  orderId: string,
  action: string,
): Promise<number> {
  const response = await fetch(`${gatewayUrl}${V1}/orders/${orderId}/actions/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  await response.arrayBuffer();
  return response.status;
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!options) {
    console.log(USAGE);
    return;
  }
  const { gatewayUrl } = options;
  const [admin, client, courier] = await Promise.all(
    ['dev-admin', 'dev-client', 'dev-courier'].map((user) => keycloakToken(gatewayUrl, user)),
  );
  const staff = new GatewayClient(gatewayUrl, admin as string);
  const sender = new GatewayClient(gatewayUrl, client as string);
  const orders = options.concurrency + 1;
  const tag = Date.now().toString(36);
  const model = await staff.call('POST', `${V1}/locker-models`, { name: `bench-${tag}` });
  const lockers: string[] = [];
  for (const side of ['A', 'B']) {
    const locker = await staff.call('POST', `${V1}/lockers`, {
      code: `BENCH-${side}-${tag}`,
      model_id: model['id'],
      city: 'Bench',
      address: `${side} bench st.`,
    });
    for (let i = 0; i < orders; i++) {
      await staff.call('POST', `${V1}/lockers/${String(locker['id'])}/cells`, {
        code: `S-${i}`,
        size: 'S',
      });
    }
    lockers.push(locker['id'] as string);
  }
  const recipient = JSON.parse(
    Buffer.from((client as string).split('.')[1] as string, 'base64url').toString(),
  ) as { sub: string };
  const ids: string[] = [];
  for (let i = 0; i < orders; i++) {
    const order = await sender.call('POST', `${V1}/orders`, {
      recipient_user_id: recipient.sub,
      pickup_type: 'courier',
      delivery_type: 'self',
      parcel_size: 'S',
      source_locker_id: lockers[0],
      dest_locker_id: lockers[1],
    });
    ids.push(order['id'] as string);
  }
  const token = courier as string;
  // The floor runs for the time budget (at most 15 s), not for --count operations.
  const floor = await measureBareEndpoint(gatewayUrl, {
    ...options,
    count: Number.MAX_SAFE_INTEGER,
    seconds: Math.min(options.seconds, 15),
  });
  // Warm-up (JIT, connection pools): one take and give-back per order, not measured.
  for (const id of ids) {
    await fire(gatewayUrl, token, id, TAKE);
    await fire(gatewayUrl, token, id, GIVE_BACK);
  }

  // Uncontended: worker i owns order i and alternates take / give back.
  const uncontended = await runLoad(
    'uncontended transitions (one order per caller)',
    options,
    (index) => ({ orderId: ids[index] as string, next: TAKE }),
    async (worker) => {
      const status = await fire(gatewayUrl, token, worker.orderId, worker.next);
      if (status !== 200) throw Object.assign(new Error(`HTTP ${status}`), { status });
      worker.next = worker.next === TAKE ? GIVE_BACK : TAKE;
    },
  );

  // Contended: everybody on the last order; the state decides who wins.
  const hot = ids[ids.length - 1] as string;
  let won = 0;
  let conflicts = 0;
  const contended = await runLoad(
    'contended attempts (all callers, one order)',
    options,
    () => undefined,
    async (_, sequence) => {
      const status = await fire(gatewayUrl, token, hot, sequence % 2 === 0 ? TAKE : GIVE_BACK);
      if (status === 200) won++;
      else if (status === 409) conflicts++;
      else throw Object.assign(new Error(`HTTP ${status}`), { status });
    },
  );
  const outcome = report('fsm', gatewayUrl, options.concurrency, floor, [uncontended, contended]);
  printReport(outcome, 'operations');
  const wonPerSecond = Math.round((won / contended.seconds) * 10) / 10;
  console.log(
    `contended: ${won} transitions won (${wonPerSecond}/s, ratio to bare ` +
      `${Math.round((wonPerSecond / floor.perSecond) * 1000) / 1000}), ${conflicts} answered 409`,
  );

  // Leave nothing live: every order back on the exchange, then cancelled by its sender.
  for (const id of ids) {
    await fire(gatewayUrl, token, id, GIVE_BACK);
    await fire(gatewayUrl, client as string, id, 'order_cancel_reservation');
  }
  console.log(
    JSON.stringify({
      ...outcome,
      contendedWon: won,
      contendedWonPerSecond: wonPerSecond,
      conflicts,
    }),
  );
  if (uncontended.failures > 0 || contended.failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
