import { randomUUID } from 'node:crypto';
import { type Server, STATUS_CODES } from 'node:http';
import { type Duplex } from 'node:stream';
import { REQUEST_ID_PATTERN } from './logging';

/** Node's parser refusals, as the gateway names the same refusals of its own (nginx template). */
const REFUSALS: Record<string, [status: number, code: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request was not received in time'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'PAYLOAD_TOO_LARGE', 'Request body is too large'],
};
const NOT_HTTP: [number, string, string] = [400, 'BAD_REQUEST', 'The request is not valid HTTP'];

/**
 * A request Node cannot parse never reaches Express, and Node's own answer has no body. The
 * gateway lets through headers Node refuses (nginx takes 4 x 16 KB, Node 16 KB in all), so that
 * answer reached clients as a bare 431: answer the platform's JSON error body instead.
 */
export function answerClientErrorsWithJson(server: Server): void {
  server.on(
    'clientError',
    (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
      // Node's documented handling: nothing to answer on a reset or an already closed socket
      if (error.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      const [statusCode, code, message] = REFUSALS[error.code ?? ''] ?? NOT_HTTP;
      const requestId = requestIdIn(error.rawPacket) ?? randomUUID();
      const body = JSON.stringify({ statusCode, code, message, requestId, detail: message });
      socket.end(
        [
          `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? ''}`,
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(body)}`,
          `X-Request-Id: ${requestId}`,
          'Connection: close',
          '',
          body,
        ].join('\r\n'),
      );
    },
  );
}

/** The gateway's X-Request-Id among the bytes Node read before it gave up, if well-formed. */
function requestIdIn(rawPacket: Buffer | undefined): string | undefined {
  const id = rawPacket?.toString('latin1').match(/\r\nx-request-id:[ \t]*(\S*)[ \t]*\r\n/i)?.[1];
  return id !== undefined && REQUEST_ID_PATTERN.test(id) ? id : undefined;
}
