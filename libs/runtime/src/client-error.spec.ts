import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { answerClientErrorsWithJson } from './client-error';

/** Sends raw bytes (fetch would refuse most of these) and reads the whole answer. */
function raw(server: Server, bytes: string): Promise<{ head: string; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n', 2);
      resolve({ head, body });
    });
    socket.end(bytes);
  });
}

describe('answerClientErrorsWithJson', () => {
  let server: Server;

  beforeAll(async () => {
    server = createServer((_request, response) => response.end('{}'));
    answerClientErrorsWithJson(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each<[string, string, number, string, unknown]>([
    [
      'headers over Node’s 16 KB, with the gateway’s request id',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Request-Id: gw-42\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE',
      'gw-42',
    ],
    [
      'a request line that is not HTTP, with an id of its own',
      'GARBAGE\r\n\r\n',
      400,
      'BAD_REQUEST',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    ],
  ])('answers %s with the platform’s JSON error', async (_, bytes, status, code, requestId) => {
    const { head, body } = await raw(server, bytes);
    expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head).toMatch(/\r\ncontent-type: application\/json\r\n/i);
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(parsed).toEqual({
      statusCode: status,
      code,
      message: expect.any(String),
      requestId,
      detail: parsed['message'],
    });
    expect(head).toContain(`\r\nX-Request-Id: ${String(parsed['requestId'])}\r\n`);
  });
});
