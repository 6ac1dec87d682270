import { randomUUID } from 'node:crypto';
import { type DeviceKind } from '@platform/device-auth';
import { DeviceClient } from '@platform/device-client';
import {
  api,
  type ApiResponse,
  fetchFromAddress,
  gatewayUrl,
  keycloakToken,
  randomDeparture,
  TEST_DOOR,
  ticketAtTestDoor,
} from '@platform/testing';

export const STORE_V1 = '/store_api/v1';
export const BASE_V1 = '/base_api/v1';

export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * What the store e2e suites stand on, made through the gateway as in the field: a Keycloak admin,
 * an engineer with STORE_LOGIN and ROBOT_LOGIN, stores made by the admin, store terminals and
 * robots registered by the engineer and logged in with the reference device client.
 */
export class StoreWorld {
  admin = '';
  private readonly engineer = { login: unique('e2e-store-eng'), password: `pw-${randomUUID()}` };
  private readonly engineerIds: string[] = [];
  // its own address: base's per-address login windows are this world's alone
  private readonly fetch = fetchFromAddress();
  readonly stores: string[] = [];
  readonly devices: string[] = [];
  readonly users: string[] = [];
  readonly tickets: string[] = [];
  private readonly terminals = new Map<string, string>();

  async setUp(): Promise<void> {
    this.admin = await keycloakToken('dev-admin');
    await this.newEngineer(this.engineer, ['STORE_LOGIN', 'ROBOT_LOGIN']);
  }

  /** An engineer with `privileges`, made by the admin and deleted at tearDown. */
  private async newEngineer(
    credentials: { login: string; password: string },
    privileges: string[],
  ): Promise<void> {
    const created = await this.adminCall<{ id: string }>(
      'POST',
      `${BASE_V1}/admin/engineer`,
      credentials,
    );
    expect(created.status).toBe(200);
    this.engineerIds.push(created.body.id);
    const granted = await this.adminCall('PUT', `${BASE_V1}/admin/engineer_privileges`, {
      id: created.body.id,
      privileges,
    });
    expect(granted.status).toBe(200);
  }

  async tearDown(): Promise<void> {
    for (const id of this.stores) {
      // Open tasks block deletion: the store's terminal closes them first.
      const terminal = this.terminals.get(id);
      if (terminal) {
        const open = await api<{ items: { id: string }[] }>(
          'GET',
          `${STORE_V1}/store/tasks?size=100`,
          {
            token: terminal,
          },
        );
        for (const task of open.body.items ?? []) {
          await api('PUT', `${STORE_V1}/store/task/${task.id}/ready`, { token: terminal });
        }
      }
      await this.adminCall('DELETE', `${STORE_V1}/admin/store/${id}`);
    }
    for (const id of this.devices) await this.adminCall('DELETE', `${BASE_V1}/admin/devices/${id}`);
    for (const id of this.tickets) await this.adminCall('DELETE', `${BASE_V1}/admin/ticket/${id}`);
    for (const id of this.users) await this.adminCall('DELETE', `${BASE_V1}/admin/users/${id}`);
    for (const id of this.engineerIds)
      await this.adminCall('DELETE', `${BASE_V1}/admin/engineers/${id}`);
  }

  adminCall<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiResponse<T>> {
    return api<T>(method, path, { token: this.admin, body });
  }

  async newStore(storeType: 'SHOP' | 'RESTAURANT' = 'SHOP'): Promise<string> {
    const created = await this.adminCall<{ id: string }>('POST', `${STORE_V1}/admin/store`, {
      name: unique('e2e-store'),
      description: 'e2e',
      logo_url: 'logo.png',
      store_type: storeType,
    });
    expect(created.status).toBe(200);
    this.stores.push(created.body.id);
    return created.body.id;
  }

  async newPassenger(): Promise<string> {
    const created = await this.adminCall<{ id: string }>('POST', `${BASE_V1}/admin/user`, {
      name: unique('Rider'),
    });
    expect(created.status).toBe(200);
    this.users.push(created.body.id);
    return created.body.id;
  }

  /** A store terminal of `storeId`, registered and logged in: its session token. */
  async terminal(storeId: string): Promise<string> {
    const token = await this.device('store', { storeId });
    this.terminals.set(storeId, token);
    return token;
  }

  /**
   * An attempt to register a locker controller under `lockerId`, by an engineer of its own with
   * LOCKER_LOGIN from an address of its own (base allows 5 registrations a minute per engineer and
   * per address, which this world's terminals and robots use up): base's answer.
   */
  async registerLocker(lockerId: string): Promise<{ status: number; code?: string }> {
    const engineer = { login: unique('e2e-locker-eng'), password: `pw-${randomUUID()}` };
    await this.newEngineer(engineer, ['LOCKER_LOGIN']);
    const keys = await DeviceClient.generateKeyPair('ed25519');
    const response = await fetchFromAddress()(`${gatewayUrl()}${BASE_V1}/auth/locker/new_login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...engineer, public_key: keys.publicKeyPem, locker_id: lockerId }),
    });
    const body = (await response.json()) as { code?: string };
    return { status: response.status, ...(body.code === undefined ? {} : { code: body.code }) };
  }

  /** A robot, registered and logged in: its session token. */
  async robot(): Promise<string> {
    return this.device('robot', { robotModelId: unique('E2E-SN'), robotModelName: 'E2E robot' });
  }

  /** A robot that identified `userId` at its door, so that it may buy for them. */
  async robotServing(userId: string): Promise<string> {
    const robot = await this.robot();
    await this.identify(robot, userId);
    return robot;
  }

  /**
   * `robot` validates the QR code of a ticket of `userId` at its door, as the kiosk does: the
   * robot now serves that passenger (a robot buys only for the passenger it identified last).
   */
  async identify(robot: string, userId: string): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const departure = randomDeparture();
      const ticket = await this.adminCall<{ id: string; code: string }>(
        'POST',
        `${BASE_V1}/admin/ticket`,
        ticketAtTestDoor(userId, departure),
      );
      if (ticket.status === 409 && attempt < 3) continue; // a seat of an earlier run
      expect(ticket.status).toBe(200);
      this.tickets.push(ticket.body.id);
      const checked = await api('POST', `${BASE_V1}/robot/ticket_validation`, {
        token: robot,
        body: { ...TEST_DOOR, date: departure.utc, code: ticket.body.code, mark_as_used: false },
      });
      expect(checked.status).toBe(200);
      return;
    }
  }

  private async device(
    kind: DeviceKind,
    ids: { storeId?: string; robotModelId?: string; robotModelName?: string },
  ): Promise<string> {
    const keys = await DeviceClient.generateKeyPair('ed25519');
    const client = new DeviceClient({ baseUrl: gatewayUrl(), kind, fetch: this.fetch });
    const { deviceId } = await client.register({
      engineerLogin: this.engineer.login,
      engineerPassword: this.engineer.password,
      publicKeyPem: keys.publicKeyPem,
      ...ids,
    });
    this.devices.push(deviceId);
    return client.loginWithSignature(deviceId, keys.privateKey);
  }
}
