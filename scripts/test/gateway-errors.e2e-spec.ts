import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { api, gatewayUrl, uniqueClientAddress } from '@platform/testing';

/**
 * Requests nginx itself refuses, sent as raw bytes (fetch would not send most of them): every
 * answer is the platform's JSON error body with the status nginx chose.
 */

interface RawAnswer {
  status: number;
  contentType: string | undefined;
  allow: string | undefined;
  body: Record<string, unknown>;
}

function rawRequest(bytes: string): Promise<RawAnswer> {
  const url = new URL(gatewayUrl());
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 80), url.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer from the gateway')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...headers] = head.split('\r\n');
      const header = (name: string) =>
        headers
          .find((line) => line.toLowerCase().startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim();
      try {
        resolve({
          status: Number(statusLine.split(' ')[1]),
          contentType: header('content-type'),
          allow: header('allow'),
          body: JSON.parse(body) as Record<string, unknown>,
        });
      } catch {
        reject(new Error(`not a JSON answer: ${text.slice(0, 300)}`));
      }
    });
    socket.end(bytes);
  });
}

const CLOSE = 'Host: gateway\r\nConnection: close\r\n';

describe('errors nginx produces itself are JSON', () => {
  it.each([
    ['a bad request line', 'GARBAGE\r\n\r\n', 400, 'BAD_REQUEST'],
    ['%00 in the path', `GET /base_api/%00 HTTP/1.1\r\n${CLOSE}\r\n`, 400, 'BAD_REQUEST'],
    [
      'a request without Host',
      'GET /base_api/health HTTP/1.1\r\nConnection: close\r\n\r\n',
      400,
      'BAD_REQUEST',
    ],
    [
      'a malformed header',
      `GET /base_api/health HTTP/1.1\r\nBad Header: x\r\n${CLOSE}\r\n`,
      400,
      'BAD_REQUEST',
    ],
    ['TRACE', `TRACE /base_api/health HTTP/1.1\r\n${CLOSE}\r\n`, 405, 'METHOD_NOT_ALLOWED'],
    [
      'a URI over the buffer',
      `GET /base_api/${'a'.repeat(20_000)} HTTP/1.1\r\n${CLOSE}\r\n`,
      414,
      'URI_TOO_LONG',
    ],
    [
      'a huge header',
      `GET /base_api/health HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n${CLOSE}\r\n`,
      431,
      'HEADERS_TOO_LARGE',
    ],
    [
      'an unknown Transfer-Encoding',
      `POST /base_api/health HTTP/1.1\r\nTransfer-Encoding: gzip\r\n${CLOSE}\r\n`,
      501,
      'NOT_IMPLEMENTED',
    ],
    [
      'an unknown HTTP version',
      `GET /base_api/health HTTP/9.9\r\n${CLOSE}\r\n`,
      505,
      'HTTP_VERSION_NOT_SUPPORTED',
    ],
    ['a path outside every route', `GET /nowhere HTTP/1.1\r\n${CLOSE}\r\n`, 404, 'NOT_FOUND'],
    ['the static directory itself', `GET /static/ HTTP/1.1\r\n${CLOSE}\r\n`, 403, 'FORBIDDEN'],
    [
      'a range past the end of a static file',
      `GET /static/robots.txt HTTP/1.1\r\nRange: bytes=999999-\r\n${CLOSE}\r\n`,
      416,
      'RANGE_NOT_SATISFIABLE',
    ],
    [
      'a precondition a static file fails',
      `GET /static/robots.txt HTTP/1.1\r\nIf-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n${CLOSE}\r\n`,
      412,
      'PRECONDITION_FAILED',
    ],
  ])('%s', async (_, bytes, status, code) => {
    const answer = await rawRequest(bytes);
    expect(answer.status).toBe(status);
    expect(answer.contentType).toBe('application/json');
    // RFC 9110: a 405 says which methods are allowed; no other answer has an Allow header
    expect(answer.allow).toBe(
      status === 405 ? 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' : undefined,
    );
    // `detail` as in every service's error: the seed's clients (FastAPI shape) read only that
    expect(answer.body).toEqual({
      statusCode: status,
      code,
      message: expect.any(String),
      requestId: expect.any(String),
      detail: answer.body['message'],
    });
  });
});

describe('errors a service’s HTTP parser produces are JSON too', () => {
  // nginx takes headers up to 4 x 16 KB, Node 16 KB in all: Node refuses, before any route.
  // (fetch, not raw bytes: nginx drops a proxied request whose client half-closed.)
  it.each(['base_api', 'store_api', 'face_api', 'delivery_api', 'telematics_api'])(
    '/%s/health with headers over the service’s limit, under the gateway’s',
    async (prefix) => {
      const header = 'a'.repeat(10_000);
      const answer = await api<Record<string, unknown>>('GET', `/${prefix}/health`, {
        headers: { 'x-a': header, 'x-b': header },
      });
      expect([answer.status, answer.headers.get('content-type')]).toEqual([
        431,
        'application/json',
      ]);
      expect(answer.body).toEqual({
        statusCode: 431,
        code: 'HEADERS_TOO_LARGE',
        message: expect.any(String),
        requestId: answer.headers.get('x-request-id'),
        detail: answer.body['message'],
      });
    },
  );
});

describe('the gateway’s own rate limit', () => {
  it('answers a burst beyond it with JSON 429 and Retry-After, then lets requests through again', async () => {
    // nginx limits /base_api/v1/auth/ per connection address (AUTH_RATE_LIMIT, AUTH_RATE_BURST);
    // twice the burst at once is past it whatever the settings. Base's own per-address limit is
    // kept out of it: what passes nginx speaks from an address of its own (X-Forwarded-For), for
    // a device of its own.
    const nonce = () =>
      api<Record<string, unknown>>('POST', '/base_api/v1/auth/robot/nonce', {
        headers: { 'x-forwarded-for': uniqueClientAddress() },
        body: { id: randomUUID() },
      });
    const burst = Number(process.env['AUTH_RATE_BURST'] ?? 60) * 2 + 20;
    const answers = await Promise.all(Array.from({ length: burst }, nonce));
    const refused = answers.find((answer) => answer.body['code'] === 'TOO_MANY_REQUESTS');
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get('retry-after')).toBe('1');
    expect(refused?.body).toMatchObject({ statusCode: 429, detail: refused?.body['message'] });
    // the next tests of the run connect from this address too: wait until nginx lets them in
    const started = Date.now();
    while ((await nonce()).body['code'] === 'TOO_MANY_REQUESTS') {
      expect(Date.now() - started).toBeLessThan(15_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 30_000);
});

/** A GET through the gateway from a chosen loopback address (nginx's $remote_addr). */
function getFrom(
  localAddress: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(gatewayUrl());
  return new Promise((resolve, reject) => {
    const call = request(
      { host: url.hostname, port: Number(url.port || 80), path, localAddress, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    call.setTimeout(10_000, () => call.destroy(new Error('no answer from the gateway')));
    call.on('error', reject);
    call.end();
  });
}

describe("Keycloak's admin console and master realm at the gateway", () => {
  // KEYCLOAK_ADMIN_ALLOW is the machine itself (127.0.0.1, ::1) on the native stack: any other
  // address, 127.0.0.2 here, stands for the rest of the network.
  it.each([
    '/keycloak/admin/',
    '/keycloak/admin/master/console/',
    '/keycloak/realms/master/protocol/openid-connect/certs',
    '/keycloak/realms/Master/.well-known/openid-configuration',
    '/keycloak//admin/realms/platform/users',
    '/keycloak/realms/%6Daster/.well-known/openid-configuration',
  ])('refuses %s from another address with a JSON 403', async (path) => {
    const answer = await getFrom('127.0.0.2', path);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
  });

  it('goes by the connection, not by what the client says its address is', async () => {
    const spoofed = { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' };
    expect((await getFrom('127.0.0.2', '/keycloak/admin/', spoofed)).status).toBe(403);
  });

  it('serves them to an allowed address, and the platform realm to everyone', async () => {
    const master = '/keycloak/realms/master/.well-known/openid-configuration';
    expect((await getFrom('127.0.0.1', master)).status).toBe(200);
    const platform = '/keycloak/realms/platform/.well-known/openid-configuration';
    expect((await getFrom('127.0.0.2', platform)).status).toBe(200);
  });
});
