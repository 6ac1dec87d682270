import { generateKeyPair as generateKeyPairCallback, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  decryptChallenge,
  isDeviceAuthError,
  isDeviceKind,
  signLoginNonce,
  type DeviceKind,
} from '@platform/device-auth';

/**
 * Reference device client for the platform's device authentication (docs/device-auth.md). Usable
 * from Jest e2e tests (inject `fetch`) and from the CLI (cli.ts). Talks to the gateway: every path
 * below is absolute from `baseUrl` (e.g. http://localhost:8080).
 */

export const DEVICE_KEY_TYPES = ['ed25519', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
export type DeviceKeyType = (typeof DEVICE_KEY_TYPES)[number];

export function isDeviceKeyType(value: unknown): value is DeviceKeyType {
  return typeof value === 'string' && (DEVICE_KEY_TYPES as readonly string[]).includes(value);
}

export interface DeviceKeyPair {
  readonly type: DeviceKeyType;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  /** SubjectPublicKeyInfo PEM: what `register` sends as `public_key`. */
  readonly publicKeyPem: string;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface DeviceClientOptions {
  /** Gateway origin, e.g. `http://localhost:8080` (a trailing slash is ignored). */
  readonly baseUrl: string;
  readonly kind: DeviceKind;
  /** Defaults to the global fetch. */
  readonly fetch?: FetchLike;
  /** A session token from an earlier login. */
  readonly token?: string;
  /** Per-request timeout; default 15 s. */
  readonly timeoutMs?: number;
  /** Where the auth endpoints live; default `/base_api/v1/auth`. */
  readonly authPath?: string;
}

export interface RegisterInput {
  readonly engineerLogin: string;
  readonly engineerPassword: string;
  readonly publicKeyPem: string;
  /** robot: device serial, unique per robot (≤ 60 chars). */
  readonly robotModelId?: string;
  /** robot: model/firmware label (≤ 60 chars). */
  readonly robotModelName?: string;
  /** store: the store this terminal acts for. */
  readonly storeId?: string;
  /** locker: the locker this controller drives. */
  readonly lockerId?: string;
}

export interface RegisterResult {
  /** The id to log in with (`{id}` of /login and /nonce). */
  readonly deviceId: string;
  /** The server's response body as received. */
  readonly response: Record<string, unknown>;
}

/** Platform error body: `{statusCode, code, message, requestId}`. */
export class DeviceClientError extends Error {
  /** HTTP status; 0 when no HTTP response was involved (network, timeout, local crypto). */
  readonly status: number;
  readonly code: string;
  /** The platform's request id (body `requestId` or `X-Request-Id` header), for log correlation. */
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, requestId?: string) {
    super(message);
    this.name = 'DeviceClientError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }

  static async fromResponse(response: Response): Promise<DeviceClientError> {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const fields = isRecord(body) ? body : {};
    const headerRequestId = response.headers.get('x-request-id') ?? undefined;
    const message =
      describe(fields['message']) ??
      describe(fields['detail']) ?? // the seed's FastAPI shape
      (text && !isRecord(body) ? text.slice(0, 200) : undefined) ??
      `HTTP ${response.status} ${response.statusText}`.trim();
    return new DeviceClientError(
      response.status,
      typeof fields['code'] === 'string' ? fields['code'] : `HTTP_${response.status}`,
      message,
      typeof fields['requestId'] === 'string' ? fields['requestId'] : headerRequestId,
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value))
    return value.map((item) => describe(item) ?? JSON.stringify(item)).join('; ');
  return value === undefined || value === null ? undefined : JSON.stringify(value);
}

const generateKeyPairAsync = promisify(generateKeyPairCallback);

/** The exact JSON body of `POST /auth/<kind>/new_login` (seed wire format). */
export function buildRegisterBody(kind: DeviceKind, input: RegisterInput): Record<string, string> {
  const common = {
    login: input.engineerLogin,
    password: input.engineerPassword,
    public_key: input.publicKeyPem,
  };
  const need = (name: keyof RegisterInput, value: string | undefined): string => {
    if (typeof value !== 'string' || value.length === 0) {
      throw new DeviceClientError(0, 'INVALID_ARGUMENT', `Registering a ${kind} needs ${name}`);
    }
    return value;
  };
  switch (kind) {
    case 'robot':
      return {
        ...common,
        robot_model_id: need('robotModelId', input.robotModelId),
        robot_model_name: need('robotModelName', input.robotModelName),
      };
    case 'store':
      return { ...common, store_id: need('storeId', input.storeId) };
    case 'locker':
      return { ...common, locker_id: need('lockerId', input.lockerId) };
  }
}

export class DeviceClient {
  readonly baseUrl: string;
  readonly kind: DeviceKind;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #authPath: string;
  #token: string | undefined;

  constructor(options: DeviceClientOptions) {
    if (!isDeviceKind(options.kind)) {
      throw new DeviceClientError(
        0,
        'INVALID_ARGUMENT',
        `Unknown device kind "${String(options.kind)}"`,
      );
    }
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new DeviceClientError(0, 'INVALID_ARGUMENT', `Invalid base URL "${options.baseUrl}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new DeviceClientError(0, 'INVALID_ARGUMENT', 'The base URL must be http(s)');
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.kind = options.kind;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#authPath = (options.authPath ?? '/base_api/v1/auth').replace(/\/+$/, '');
    this.#token = options.token;
  }

  /** The current session token, if logged in. */
  get token(): string | undefined {
    return this.#token;
  }

  set token(token: string | undefined) {
    this.#token = token;
  }

  static async generateKeyPair(type: DeviceKeyType): Promise<DeviceKeyPair> {
    let pair: { publicKey: KeyObject; privateKey: KeyObject };
    switch (type) {
      case 'ed25519':
        pair = await generateKeyPairAsync('ed25519');
        break;
      case 'rsa-2048':
      case 'rsa-3072':
      case 'rsa-4096':
        pair = await generateKeyPairAsync('rsa', {
          modulusLength: Number(type.slice(4)),
          publicExponent: 65537,
        });
        break;
      default:
        throw new DeviceClientError(0, 'INVALID_ARGUMENT', `Unknown key type "${String(type)}"`);
    }
    return {
      type,
      ...pair,
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }

  /** `POST /base_api/v1/auth/<kind>/new_login` with engineer credentials. */
  async register(input: RegisterInput): Promise<RegisterResult> {
    const body = buildRegisterBody(this.kind, input);
    const response = await this.#call(
      'POST',
      `${this.#authPath}/${this.kind}/new_login`,
      body,
      false,
    );
    if (!isRecord(response)) throw unexpected('new_login', response);
    const fallback =
      this.kind === 'store' ? input.storeId : this.kind === 'locker' ? input.lockerId : undefined;
    const deviceId = typeof response['id'] === 'string' ? response['id'] : fallback;
    if (!deviceId) throw unexpected('new_login', response);
    return { deviceId, response };
  }

  /**
   * Seed-compatible challenge login (RSA keys only): `/login {id}` → `{request_id, data}`, decrypt,
   * `/login_code {request_id, data}` → `{token}`. Returns the token and keeps it for `request`.
   */
  async loginWithChallenge(deviceId: string, privateKey: KeyObject): Promise<string> {
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
      throw new DeviceClientError(
        0,
        'CHALLENGE_NOT_SUPPORTED_FOR_KEY',
        'Challenge login needs an RSA private key; use loginWithSignature for Ed25519',
      );
    }
    const challenge = await this.#call(
      'POST',
      `${this.#authPath}/${this.kind}/login`,
      { id: deviceId },
      false,
    );
    const requestId = stringField(challenge, 'request_id', 'login');
    const data = stringField(challenge, 'data', 'login');
    let answer: string;
    try {
      answer = decryptChallenge(privateKey, data);
    } catch (error) {
      if (!isDeviceAuthError(error)) throw error;
      // An unknown device id gets an undecryptable decoy, so this also means "not registered".
      throw new DeviceClientError(
        0,
        error.code,
        `${error.message}. Is device ${deviceId} registered with this key?`,
      );
    }
    const result = await this.#call(
      'POST',
      `${this.#authPath}/${this.kind}/login_code`,
      { request_id: requestId, data: answer },
      false,
    );
    return this.#keepToken(result, 'login_code');
  }

  /**
   * Signature login: `/nonce {id}` → `{request_id, nonce}`, sign the canonical message,
   * `/login_signature {request_id, signature}` → `{token}`. Works with RSA and Ed25519 keys.
   */
  async loginWithSignature(deviceId: string, privateKey: KeyObject): Promise<string> {
    const issued = await this.#call(
      'POST',
      `${this.#authPath}/${this.kind}/nonce`,
      { id: deviceId },
      false,
    );
    const requestId = stringField(issued, 'request_id', 'nonce');
    const nonce = stringField(issued, 'nonce', 'nonce');
    let signature: string;
    try {
      signature = signLoginNonce(privateKey, { kind: this.kind, deviceId, requestId, nonce });
    } catch (error) {
      if (!isDeviceAuthError(error)) throw error;
      throw new DeviceClientError(0, error.code, error.message);
    }
    const result = await this.#call(
      'POST',
      `${this.#authPath}/${this.kind}/login_signature`,
      { request_id: requestId, signature },
      false,
    );
    return this.#keepToken(result, 'login_signature');
  }

  /** `POST /auth/<kind>/logout` with the bearer; forgets the token even if the call fails. */
  async logout(): Promise<void> {
    if (this.#token === undefined) return;
    try {
      await this.#call('POST', `${this.#authPath}/${this.kind}/logout`, undefined, true);
    } finally {
      this.#token = undefined;
    }
  }

  /** Any platform call with `Authorization: Bearer <token>`; `path` is absolute, e.g. `/store_api/v1/...`. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    if (!path.startsWith('/')) {
      throw new DeviceClientError(0, 'INVALID_ARGUMENT', `Path must start with "/": ${path}`);
    }
    return (await this.#call(method.toUpperCase(), path, body, true)) as T;
  }

  #keepToken(result: unknown, endpoint: string): string {
    const token = stringField(result, 'token', endpoint);
    this.#token = token;
    return token;
  }

  async #call(method: string, path: string, body: unknown, withToken: boolean): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (withToken) {
      if (this.#token === undefined) {
        throw new DeviceClientError(0, 'NOT_LOGGED_IN', 'Log in before calling the platform');
      }
      headers['authorization'] = `Bearer ${this.#token}`;
    }
    const init: RequestInit = {
      method,
      headers,
      signal: AbortSignal.timeout(this.#timeoutMs),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    let response: Response;
    try {
      response = await this.#fetch(`${this.baseUrl}${path}`, init);
    } catch (error) {
      // Duck-typed: a DOMException from another realm (e.g. under Jest) is not `instanceof Error`.
      const { name, message } = (typeof error === 'object' && error !== null ? error : {}) as {
        name?: unknown;
        message?: unknown;
      };
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new DeviceClientError(
          0,
          'TIMEOUT',
          `${method} ${path} timed out after ${this.#timeoutMs} ms`,
        );
      }
      const reason = typeof message === 'string' ? message : String(error);
      throw new DeviceClientError(0, 'NETWORK_ERROR', `${method} ${path} failed: ${reason}`);
    }
    if (!response.ok) throw await DeviceClientError.fromResponse(response);
    const text = await response.text();
    if (text.length === 0) return undefined;
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) return text;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new DeviceClientError(
        response.status,
        'UNEXPECTED_RESPONSE',
        `${method} ${path} returned invalid JSON`,
        response.headers.get('x-request-id') ?? undefined,
      );
    }
  }
}

function unexpected(endpoint: string, body: unknown): DeviceClientError {
  return new DeviceClientError(
    0,
    'UNEXPECTED_RESPONSE',
    `Unexpected response from ${endpoint}: ${JSON.stringify(body)?.slice(0, 200)}`,
  );
}

function stringField(body: unknown, name: string, endpoint: string): string {
  const value = isRecord(body) ? body[name] : undefined;
  if (typeof value !== 'string' || value.length === 0) throw unexpected(endpoint, body);
  return value;
}
