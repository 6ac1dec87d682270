import fc from 'fast-check';
import { PROXY_HEADER_MAX_BYTES, readProxyHeader } from './proxy-header';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('readProxyHeader', () => {
  it('takes the device address from the line and hands on the bytes after it', () => {
    const tracker = Buffer.from('404e5443', 'hex');
    expect(
      readProxyHeader(
        Buffer.concat([bytes('PROXY TCP4 203.0.113.7 127.0.0.1 40000 5221\r\n'), tracker]),
      ),
    ).toEqual({ status: 'complete', address: '203.0.113.7', rest: tracker });
    expect(readProxyHeader(bytes('PROXY TCP6 2001:db8::7 ::1 40000 5221\r\n'))).toEqual({
      status: 'complete',
      address: '2001:db8::7',
      rest: Buffer.alloc(0),
    });
    expect(readProxyHeader(bytes('PROXY UNKNOWN\r\n~'))).toEqual({
      status: 'complete',
      address: null,
      rest: bytes('~'),
    });
  });

  it('waits for the rest of a line that may still be one', () => {
    const line = 'PROXY TCP4 203.0.113.7 127.0.0.1 40000 5221\r\n';
    for (let cut = 0; cut < line.length - 1; cut += 1) {
      expect(readProxyHeader(bytes(line.slice(0, cut)))).toEqual({ status: 'incomplete' });
    }
  });

  it.each([
    ['a tracker speaking first', '@NTC\x01\x00'],
    ['an HTTP request', 'GET / HTTP/1.1\r\n'],
    ['an address that is none', 'PROXY TCP4 1.2.3 127.0.0.1 1 2\r\n'],
    ['a word for an address', 'PROXY TCP4 a b 1 2\r\n'],
    ['a line too long', `PROXY TCP4 ${'1'.repeat(PROXY_HEADER_MAX_BYTES)}`],
  ])('refuses %s', (_what, text) => {
    expect(readProxyHeader(bytes(text))).toMatchObject({ status: 'invalid' });
  });

  it('never throws on random bytes after the signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        readProxyHeader(Buffer.concat([bytes('PROXY '), Buffer.from(tail)]));
      }),
      { numRuns: 2000 },
    );
  });
});
