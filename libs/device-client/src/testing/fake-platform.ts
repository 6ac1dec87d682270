import { randomUUID } from 'node:crypto';
import {
  createNonce,
  createSessionToken,
  hashSessionToken,
  isDeviceKind,
  issueChallenge,
  parseDevicePublicKey,
  secretMatches,
  verifyLoginSignature,
  type DeviceKind,
  type DevicePublicKey,
} from '@platform/device-auth';
import type { FetchLike } from '../device-client';

/**
 * An in-memory stand-in for the base service's device-auth endpoints, built from the
 * @platform/device-auth server-side functions, used as the injected `fetch` in specs. It records
 * every request so specs can assert exact wire bodies.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

interface Pending {
  readonly kind: DeviceKind;
  readonly deviceId: string;
  readonly secretHash?: string;
  readonly nonce?: string;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

export class FakePlatform {
  readonly requests: RecordedRequest[] = [];
  readonly devices = new Map<string, { kind: DeviceKind; key: DevicePublicKey }>();
  /** Keyed by hashSessionToken(token), like the real server. */
  readonly sessions = new Map<string, { kind: DeviceKind; deviceId: string }>();
  readonly pending = new Map<string, Pending>();
  engineer = { login: 'eng', password: 'engineer-password' };
  /** Responses to hand out instead of the normal behaviour, by path. */
  readonly overrides = new Map<string, () => Response>();

  readonly fetch: FetchLike = async (url, init) => {
    const parsed = new URL(url);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const request = { method: init.method ?? 'GET', url, path: parsed.pathname, headers, body };
    this.requests.push(request);
    const override = this.overrides.get(parsed.pathname);
    return override ? override() : this.handle(request);
  };

  /** Request bodies sent to paths ending with `suffix`. */
  bodiesTo(suffix: string): unknown[] {
    return this.requests.filter((r) => r.path.endsWith(suffix)).map((r) => r.body);
  }

  private error(status: number, code: string, message: string): Response {
    const requestId = randomUUID();
    return json(
      status,
      { statusCode: status, code, message, requestId },
      { 'x-request-id': requestId },
    );
  }

  private handle(request: RecordedRequest): Response | Promise<Response> {
    const auth = /^\/base_api\/v1\/auth\/([a-z]+)\/([a-z_]+)$/.exec(request.path);
    if (auth && request.method === 'POST' && isDeviceKind(auth[1])) {
      return this.handleAuth(auth[1], auth[2] ?? '', request);
    }
    const session = this.session(request);
    if (!session) return this.error(401, 'INVALID_CREDENTIALS', 'Invalid credentials');
    return json(200, {
      method: request.method,
      path: request.path,
      body: request.body ?? null,
      ...session,
    });
  }

  private session(request: RecordedRequest) {
    const match = /^Bearer (\S+)$/.exec(request.headers['authorization'] ?? '');
    return match?.[1] ? this.sessions.get(hashSessionToken(match[1])) : undefined;
  }

  private issueToken(kind: DeviceKind, deviceId: string): Response {
    const token = createSessionToken();
    this.sessions.set(hashSessionToken(token), { kind, deviceId });
    return json(200, { token });
  }

  private async handleAuth(
    kind: DeviceKind,
    action: string,
    request: RecordedRequest,
  ): Promise<Response> {
    const body = (request.body ?? {}) as Record<string, string>;
    switch (action) {
      case 'new_login': {
        if (body['login'] !== this.engineer.login || body['password'] !== this.engineer.password) {
          return this.error(401, 'INVALID_CREDENTIALS', 'Invalid credentials');
        }
        const key = parseDevicePublicKey(body['public_key'] ?? '');
        const id = kind === 'robot' ? randomUUID() : (body[`${kind}_id`] ?? '');
        this.devices.set(`${kind}:${id}`, { kind, key });
        return kind === 'robot'
          ? json(200, {
              id,
              robot_model_id: body['robot_model_id'],
              robot_model_name: body['robot_model_name'],
            })
          : json(200, { id, name: `${kind} ${id}` });
      }
      case 'login': {
        const device = this.devices.get(`${kind}:${body['id']}`);
        const issued = issueChallenge(device?.key);
        const requestId = randomUUID();
        if (issued.secretHash !== null) {
          this.pending.set(requestId, {
            kind,
            deviceId: body['id'] ?? '',
            secretHash: issued.secretHash,
          });
        }
        return json(200, { request_id: requestId, data: issued.data });
      }
      case 'login_code': {
        const pending = this.pending.get(body['request_id'] ?? '');
        this.pending.delete(body['request_id'] ?? ''); // single use, burned on a wrong answer
        if (
          !pending?.secretHash ||
          pending.kind !== kind ||
          !secretMatches(pending.secretHash, body['data'] ?? '')
        ) {
          return this.error(401, 'INVALID_CREDENTIALS', 'Invalid credentials');
        }
        return this.issueToken(kind, pending.deviceId);
      }
      case 'nonce': {
        const requestId = randomUUID();
        const nonce = createNonce();
        this.pending.set(requestId, { kind, deviceId: body['id'] ?? '', nonce });
        return json(200, { request_id: requestId, nonce });
      }
      case 'login_signature': {
        const requestId = body['request_id'] ?? '';
        const pending = this.pending.get(requestId);
        this.pending.delete(requestId);
        const device = pending && this.devices.get(`${kind}:${pending.deviceId}`);
        if (
          !pending?.nonce ||
          !device ||
          pending.kind !== kind ||
          !(await verifyLoginSignature(
            device.key,
            { kind, deviceId: pending.deviceId, requestId, nonce: pending.nonce },
            body['signature'] ?? '',
          ))
        ) {
          return this.error(401, 'INVALID_CREDENTIALS', 'Invalid credentials');
        }
        return this.issueToken(kind, pending.deviceId);
      }
      case 'logout': {
        const match = /^Bearer (\S+)$/.exec(request.headers['authorization'] ?? '');
        if (!match?.[1] || !this.sessions.delete(hashSessionToken(match[1]))) {
          return this.error(401, 'INVALID_CREDENTIALS', 'Invalid credentials');
        }
        return new Response(null, { status: 204 });
      }
      default:
        return this.error(404, 'NOT_FOUND', `No route ${request.path}`);
    }
  }
}
