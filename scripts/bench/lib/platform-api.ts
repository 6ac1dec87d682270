// Calls benchmarks make to set themselves up: a Keycloak token, JSON requests through the gateway.

export class BenchSetupError extends Error {}

async function bodyOf(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { text: text.slice(0, 200) };
  }
}

/** A dev user's access token (password grant of the dev-only client, as the e2e tests do). */
export async function keycloakToken(gatewayUrl: string, username: string): Promise<string> {
  const password = process.env['KC_DEV_USER_PASSWORD'];
  if (!password) throw new BenchSetupError('KC_DEV_USER_PASSWORD is not set (.stack/secrets.env)');
  const response = await fetch(
    `${gatewayUrl}/keycloak/realms/platform/protocol/openid-connect/token`,
    {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'platform-dev',
        username,
        password,
        scope: 'openid',
      }),
    },
  );
  const body = await bodyOf(response);
  if (!response.ok || typeof body['access_token'] !== 'string') {
    throw new BenchSetupError(`Keycloak refused ${username}: ${response.status}`);
  }
  return body['access_token'];
}

/** JSON calls with one bearer token; any non-2xx answer is a setup error. */
export class GatewayClient {
  private readonly gatewayUrl: string;
  private readonly token: string;

  constructor(gatewayUrl: string, token: string) {
    this.gatewayUrl = gatewayUrl;
    this.token = token;
  }

  async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const result = await bodyOf(response);
    if (!response.ok) {
      throw new BenchSetupError(`${method} ${path}: ${response.status} ${JSON.stringify(result)}`);
    }
    return result;
  }
}
