import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiRequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the end-to-end tests through 'npm test'`);
  }
  return value;
}

/** Base URL of the Nginx gateway the end-to-end tests talk to. */
export function gatewayUrl(): string {
  return requiredEnv('GATEWAY_URL').replace(/\/$/, '');
}

/** One HTTP call through the gateway; JSON in, JSON (or text) out. */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: ApiRequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) {
    headers['authorization'] = `Bearer ${options.token}`;
  }
  let body: string | Uint8Array | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${gatewayUrl()}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: hand the text back so the assertion shows what came.
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/**
 * A real access token from the real Keycloak, by password grant on the development client. No
 * retry: Keycloak validates its pooled connections before use (scripts/stack/keycloak.sh), so
 * even right after the fault tests restart Postgres a refusal is a real one.
 */
export async function keycloakToken(username: string): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'password',
    client_id: 'platform-dev',
    username,
    password: requiredEnv('KC_DEV_USER_PASSWORD'),
    scope: 'openid',
  });
  const response = await fetch(
    `${gatewayUrl()}/keycloak/realms/platform/protocol/openid-connect/token`,
    { method: 'POST', body: form },
  );
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    error_description?: string;
  };
  if (!response.ok || !body.access_token) {
    throw new Error(
      `Keycloak refused ${username}: ${response.status} ${body.error_description ?? ''}`,
    );
  }
  return body.access_token;
}

const run = promisify(execFile);

/** Drives the native stack (e.g. stop-service store) from a test. */
export async function platformCommand(...args: string[]): Promise<string> {
  const root = resolve(__dirname, '../../..');
  const { stdout } = await run('bash', [resolve(root, 'scripts/platform.sh'), ...args], {
    cwd: root,
    timeout: 180_000,
  });
  return stdout;
}
