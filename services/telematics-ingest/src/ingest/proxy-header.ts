import { isIP } from 'node:net';
import { V1BinaryProxyProtocol } from 'proxy-protocol-js';

/**
 * The PROXY protocol v1 line nginx's `stream` proxy (`proxy_protocol on`) sends before a
 * tracker's bytes: `PROXY TCP4|TCP6 <client> <proxy> <client port> <proxy port>\r\n`, or
 * `PROXY UNKNOWN...\r\n`. It carries the device's own address, which the ingest would otherwise
 * see as nginx's (stored remote address, per-address limit).
 */
export const PROXY_HEADER_MAX_BYTES = 107;
const SIGNATURE = Buffer.from('PROXY ', 'latin1');
const CRLF = Buffer.from('\r\n', 'latin1');

export type ProxyHeaderResult =
  | { readonly status: 'incomplete' }
  | { readonly status: 'invalid'; readonly reason: string }
  /** `address` null: `PROXY UNKNOWN` (the proxy does not know it). `rest`: the tracker's bytes. */
  | { readonly status: 'complete'; readonly address: string | null; readonly rest: Buffer };

/** Reads the header from the first bytes of a connection, as many as arrived so far. */
export function readProxyHeader(buffered: Buffer): ProxyHeaderResult {
  const signature = buffered.subarray(0, SIGNATURE.length);
  if (!signature.equals(SIGNATURE.subarray(0, signature.length))) {
    return { status: 'invalid', reason: 'no PROXY protocol header' };
  }
  const end = buffered.indexOf(CRLF);
  if (end === -1 || end + CRLF.length > PROXY_HEADER_MAX_BYTES) {
    return buffered.length < PROXY_HEADER_MAX_BYTES
      ? { status: 'incomplete' }
      : { status: 'invalid', reason: `no CRLF within ${PROXY_HEADER_MAX_BYTES} bytes` };
  }
  const line = buffered.subarray(0, end + CRLF.length);
  const rest = Buffer.from(buffered.subarray(end + CRLF.length));
  if (line.toString('latin1').startsWith('PROXY UNKNOWN')) {
    return { status: 'complete', address: null, rest };
  }
  let address: string;
  try {
    address = V1BinaryProxyProtocol.parse(line).source.ipAddress;
  } catch (error) {
    // its errors implement Error without extending it
    const reason = (error as { message?: unknown }).message;
    return { status: 'invalid', reason: typeof reason === 'string' ? reason : 'malformed' };
  }
  // the library checks the line's shape, not that the address is one
  if (isIP(address) === 0) return { status: 'invalid', reason: `not an address: ${address}` };
  return { status: 'complete', address, rest };
}
