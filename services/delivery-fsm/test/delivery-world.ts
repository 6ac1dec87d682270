import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DeviceClient } from '@platform/device-client';
import {
  api,
  type ApiResponse,
  fetchFromAddress,
  gatewayUrl,
  keycloakToken,
} from '@platform/testing';

/** Shared set-up of the delivery end-to-end specs: people, lockers, controllers, checks. */

export const V1 = '/delivery_api/v1';
export type Body = Record<string, unknown>;

export const PEOPLE = [
  'dev-admin',
  'dev-operator',
  'dev-client',
  'dev-recipient',
  'dev-courier',
  'dev-courier2',
  'dev-driver',
] as const;
export type Person = (typeof PEOPLE)[number];

/**
 * The realm's development users as code (keycloak/realm-platform.json) are imported when Keycloak
 * starts; a running Keycloak that predates a user added there gets it here, through the stack's
 * Keycloak admin, exactly as the file defines it (so a stack started before the realm change runs
 * these specs too). Idempotent.
 */
export async function ensureRealmUsers(): Promise<void> {
  const realm = JSON.parse(
    readFileSync(resolve(__dirname, '../../../keycloak/realm-platform.json'), 'utf8'),
  ) as { users: { username: string; realmRoles: string[]; [key: string]: unknown }[] };
  const base = `${gatewayUrl()}/keycloak`;
  const tokenResponse = await fetch(`${base}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: process.env['KEYCLOAK_ADMIN_USERNAME'] ?? 'admin',
      password: process.env['KEYCLOAK_ADMIN_PASSWORD'] ?? '',
    }),
  });
  const { access_token: admin } = (await tokenResponse.json()) as { access_token?: string };
  if (!admin) throw new Error(`Keycloak admin login failed: ${tokenResponse.status}`);
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  for (const user of realm.users.filter((u) =>
    (PEOPLE as readonly string[]).includes(u.username),
  )) {
    const found = (await (
      await fetch(`${base}/admin/realms/platform/users?exact=true&username=${user.username}`, {
        headers,
      })
    ).json()) as { id: string }[];
    if (found.length > 0) continue;
    const { realmRoles, credentials: _credentials, ...rest } = user;
    const created = await fetch(`${base}/admin/realms/platform/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        ...rest,
        credentials: [
          { type: 'password', value: process.env['KC_DEV_USER_PASSWORD'], temporary: false },
        ],
      }),
    });
    if (created.status !== 201) throw new Error(`creating ${user.username}: ${created.status}`);
    const id = (created.headers.get('location') ?? '').split('/').pop();
    const roles = await Promise.all(
      realmRoles.map(
        async (name) =>
          (await (
            await fetch(`${base}/admin/realms/platform/roles/${name}`, { headers })
          ).json()) as object,
      ),
    );
    await fetch(`${base}/admin/realms/platform/users/${id}/role-mappings/realm`, {
      method: 'POST',
      headers,
      body: JSON.stringify(roles),
    });
  }
}

export function subjectOf(token: string): string {
  const payload = JSON.parse(
    Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'),
  ) as { sub: string };
  return payload.sub;
}

export interface World {
  tokens: Record<Person, string>;
  ids: Record<Person, string>;
}

export async function people(): Promise<World> {
  await ensureRealmUsers();
  const tokens = Object.fromEntries(
    await Promise.all(PEOPLE.map(async (p) => [p, await keycloakToken(p)] as const)),
  ) as Record<Person, string>;
  const ids = Object.fromEntries(PEOPLE.map((p) => [p, subjectOf(tokens[p])])) as Record<
    Person,
    string
  >;
  return { tokens, ids };
}

export async function ok<T = Body>(
  what: string,
  call: Promise<ApiResponse<T>>,
  status = 200,
): Promise<T> {
  const response = await call;
  if (response.status !== status) {
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** A locker controller: registered and logged in through base, like a real one. */
export class Controller {
  constructor(
    readonly lockerId: string,
    readonly client: DeviceClient,
  ) {}

  async poll(waitSeconds = 5): Promise<{ id: string; cell_id: string; command: string }[]> {
    const body = await this.client.request<{
      commands: { id: string; cell_id: string; command: string }[];
    }>('GET', `${V1}/locker/commands?wait_seconds=${waitSeconds}`);
    return body.commands;
  }

  /** Takes the next command (waiting for it) and acknowledges it with each report in turn. */
  async handle(...reports: Body[]): Promise<{ id: string; cell_id: string }> {
    const [command] = await this.poll();
    if (!command) throw new Error(`locker ${this.lockerId}: no command arrived`);
    for (const report of reports) {
      await this.client.request('POST', `${V1}/locker/commands/${command.id}/ack`, report);
    }
    return command;
  }

  async ack(commandId: string, report: Body): Promise<ApiResponse<Body>> {
    return api('POST', `${V1}/locker/commands/${commandId}/ack`, {
      token: this.client.token as string,
      body: report,
    });
  }

  async pin(orderId: string, pin: string): Promise<ApiResponse<Body>> {
    return api('POST', `${V1}/locker/pin`, {
      token: this.client.token as string,
      body: { order_id: orderId, pin },
    });
  }
}

export interface Site {
  a: string;
  b: string;
  controllerA: Controller;
  controllerB: Controller;
  engineerId: string;
}

/** Two lockers with `cells` S cells each, and their controllers logged in through base. */
export async function site(admin: string, cells = 6): Promise<Site> {
  const tag = randomUUID().slice(0, 8);
  const model = await ok<{ id: string }>(
    'model',
    api('POST', `${V1}/locker-models`, {
      token: admin,
      body: { name: `e2e-${tag}`, cells_s: cells },
    }),
  );
  const lockers: string[] = [];
  for (const side of ['A', 'B']) {
    const locker = await ok<{ id: string }>(
      'locker',
      api('POST', `${V1}/lockers`, {
        token: admin,
        body: {
          code: `E2E-${side}-${tag}`,
          model_id: model.id,
          city: `City${side}`,
          address: `${side} st. 1`,
        },
      }),
    );
    for (let i = 1; i <= cells; i++) {
      await ok(
        'cell',
        api('POST', `${V1}/lockers/${locker.id}/cells`, {
          token: admin,
          body: { code: `S-${i}`, size: 'S' },
        }),
      );
    }
    lockers.push(locker.id);
  }
  const login = `e2e-lk-${tag}`;
  const password = `pw-${randomUUID()}`;
  const engineer = await ok<{ id: string }>(
    'engineer',
    api('POST', '/base_api/v1/admin/engineer', { token: admin, body: { login, password } }),
  );
  await ok(
    'privileges',
    api('PUT', '/base_api/v1/admin/engineer_privileges', {
      token: admin,
      body: { id: engineer.id, privileges: ['LOCKER_LOGIN'] },
    }),
  );
  const controllers: Controller[] = [];
  for (const lockerId of lockers) {
    const keys = await DeviceClient.generateKeyPair('ed25519');
    const client = new DeviceClient({
      baseUrl: gatewayUrl(),
      kind: 'locker',
      fetch: fetchFromAddress(),
    });
    await client.register({
      engineerLogin: login,
      engineerPassword: password,
      publicKeyPem: keys.publicKeyPem,
      lockerId,
    });
    await client.loginWithSignature(lockerId, keys.privateKey);
    controllers.push(new Controller(lockerId, client));
  }
  return {
    a: lockers[0] as string,
    b: lockers[1] as string,
    controllerA: controllers[0] as Controller,
    controllerB: controllers[1] as Controller,
    engineerId: engineer.id,
  };
}

export async function removeSite(admin: string, s: Site): Promise<void> {
  for (const id of [s.a, s.b])
    await api('DELETE', `/base_api/v1/admin/devices/${id}`, { token: admin });
  await api('DELETE', `/base_api/v1/admin/engineers/${s.engineerId}`, { token: admin });
}

export interface OrderRequest {
  pickup: string;
  delivery?: string;
  description?: string;
  idempotencyKey?: string;
}

/** `POST /orders` by dev-client for dev-recipient: one S parcel from locker A to B of `s`. */
export function placeOrder(world: World, s: Site, order: OrderRequest): Promise<Body> {
  return ok<Body>(
    'create order',
    api('POST', `${V1}/orders`, {
      token: world.tokens['dev-client'],
      body: {
        recipient_user_id: world.ids['dev-recipient'],
        pickup_type: order.pickup,
        delivery_type: order.delivery ?? 'self',
        parcel_size: 'S',
        source_locker_id: s.a,
        dest_locker_id: s.b,
        ...(order.description === undefined ? {} : { description: order.description }),
      },
      ...(order.idempotencyKey ? { headers: { 'idempotency-key': order.idempotencyKey } } : {}),
    }),
  );
}

/** Fires `action` on the entity as `person`; throws unless it is accepted. */
function fireAs(
  world: World,
  person: Person,
  entity: 'orders' | 'trips' | 'cells',
  id: string,
  action: string,
): Promise<Body> {
  return ok<Body>(
    action,
    api('POST', `${V1}/${entity}/${id}/actions/${action}`, {
      token: world.tokens[person],
      body: {},
    }),
  );
}

/**
 * The shortest way to a parcel in the delivery courier's hands: staff put the order's parcel into
 * cell B (manual intervention, `order_confirm_post2`), dev-courier2 takes the leg and the parcel,
 * and locker B's controller reports the door closed on an empty cell.
 */
export async function handToDeliveryCourier(world: World, s: Site, id: string): Promise<void> {
  await fireAs(world, 'dev-operator', 'orders', id, 'order_request_manual_intervention');
  await fireAs(world, 'dev-operator', 'orders', id, 'order_confirm_post2');
  await fireAs(world, 'dev-courier2', 'orders', id, 'order_assign_courier2_to_order');
  await fireAs(world, 'dev-courier2', 'orders', id, 'order_courier2_pickup_parcel');
  await s.controllerB.handle(
    { result: 'parcel_absent' },
    { result: 'door_closed', parcel_present: false },
  );
}

/** What a describe block works with: the people and a site of its own. */
export interface Scene {
  readonly world: World;
  readonly site: Site;
  token(person: Person): string;
}

/**
 * Registers the block's set-up (the people, a site with `cells` cells per locker) and clean-up
 * (the site's devices and engineer); the scene is usable inside its tests.
 */
export function useScene(cells: number): Scene {
  let world: World | undefined;
  let made: Site | undefined;
  beforeAll(async () => {
    world = await people();
    made = await site(world.tokens['dev-admin'], cells);
  }, 120_000);
  afterAll(async () => {
    if (world && made) await removeSite(world.tokens['dev-admin'], made);
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the scene is set up in beforeAll');
    return value;
  };
  return {
    get world() {
      return ready(world);
    },
    get site() {
      return ready(made);
    },
    token: (person) => ready(world).tokens[person],
  };
}

export const TERMINAL = ['order_completed', 'order_cancelled', 'order_reservation_expired'];

/**
 * After every scenario: the audit log of each entity is complete (one row per version, 1..n in
 * order) and ends in the entity's state; a finished order holds no cell and no cell names it; no
 * closed cell (occupied or closed empty) is held by nobody.
 */
export async function expectConsistent(admin: string, orderIds: string[]): Promise<void> {
  for (const id of orderIds) {
    const order = await ok<Body>('order', api('GET', `${V1}/orders/${id}`, { token: admin }));
    await expectAudit(admin, 'orders', id, order);
    if (TERMINAL.includes(order['state'] as string)) {
      expect(order['held_cells']).toEqual([]);
    }
    for (const cellId of [order['source_cell_id'], order['dest_cell_id']]) {
      if (typeof cellId !== 'string') continue;
      const cell = await ok<Body>('cell', api('GET', `${V1}/cells/${cellId}`, { token: admin }));
      await expectAudit(admin, 'cells', cellId, cell);
      if (TERMINAL.includes(order['state'] as string)) expect(cell['order_id']).not.toBe(id);
      // Only its order takes a closed cell out of these states: held by nobody, it would be lost.
      if (['locker_occupied', 'locker_closed_empty'].includes(cell['state'] as string)) {
        expect([cellId, cell['order_id']]).not.toEqual([cellId, null]);
      }
    }
    if (typeof order['trip_id'] === 'string') {
      const trip = await ok<Body>(
        'trip',
        api('GET', `${V1}/trips/${order['trip_id']}`, { token: admin }),
      );
      await expectAudit(admin, 'trips', order['trip_id'], trip);
    }
  }
}

async function expectAudit(admin: string, path: string, id: string, entity: Body): Promise<void> {
  const audit = await ok<{ items: Body[]; total: number }>(
    'audit',
    api('GET', `${V1}/${path}/${id}/audit?size=100`, { token: admin }),
  );
  const version = entity['state_version'] as number;
  expect(audit.total).toBe(version);
  expect(audit.items.map((row) => row['state_version'])).toEqual(
    Array.from({ length: version }, (_, i) => i + 1),
  );
  if (version > 0) expect(audit.items.at(-1)?.['to_state']).toBe(entity['state']);
  audit.items.forEach((row, i) => {
    if (i > 0) expect(row['from_state']).toBe(audit.items[i - 1]?.['to_state']);
  });
}
