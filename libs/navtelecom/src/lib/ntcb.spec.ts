import {
  NTCB_DEFAULT_PREAMBLE,
  decodeNtcbHeader,
  encodeFlexNegotiation,
  encodeHandshake,
  encodeLegacySingle,
  encodeNtcbCommand,
  encodeNtcbPacket,
  encodeNtcbReply,
  flexNegotiationReplyBody,
  isNtcbHeaderChecksumValid,
  negotiateFlex,
  parseNtcbBody,
  type FlexNegotiationRequest,
} from './ntcb';

describe('NTCB header', () => {
  it('encodes the spec default headers (device→server and server→device, no body)', () => {
    expect(encodeNtcbPacket({ receiverId: 1, senderId: 0 }, Buffer.alloc(0)).toString('hex')).toBe(
      '404e5443010000000000000000000018',
    );
    expect(encodeNtcbPacket({ receiverId: 0, senderId: 1 }, Buffer.alloc(0)).toString('hex')).toBe(
      '404e5443000000000100000000000018',
    );
  });

  it('round-trips and swaps ids in replies, keeping the preamble', () => {
    const request = encodeNtcbPacket(
      { preamble: Buffer.from('@ABC'), receiverId: 7, senderId: 49722825 },
      encodeHandshake('861230043907626'),
    );
    expect(isNtcbHeaderChecksumValid(request)).toBe(true);
    const header = decodeNtcbHeader(request);
    expect(header).toMatchObject({ receiverId: 7, senderId: 49722825, bodyLength: 19 });
    const reply = decodeNtcbHeader(encodeNtcbReply(header, Buffer.from('*<S')));
    expect(reply).toMatchObject({
      preamble: Buffer.from('@ABC'),
      receiverId: 49722825,
      senderId: 7,
      bodyLength: 3,
      bodyChecksum: 0x45,
    });
  });

  it('commands go to the device id from the server id', () => {
    const command = encodeNtcbCommand({ deviceId: 12, serverId: 1 }, '*?V');
    expect(decodeNtcbHeader(command)).toMatchObject({
      preamble: NTCB_DEFAULT_PREAMBLE,
      receiverId: 12,
      senderId: 1,
    });
    expect(command.subarray(16).toString()).toBe('*?V');
  });

  it.each([0, 4, 8, 12, 14, 15])('a flipped byte %i breaks the header checksum', (position) => {
    const packet = encodeNtcbPacket({ receiverId: 1, senderId: 0 }, Buffer.from('*>S:1'));
    packet[position] ^= 0x10;
    expect(isNtcbHeaderChecksumValid(packet)).toBe(false);
  });
});

describe('NTCB bodies', () => {
  it.each([
    ['', { type: 'keep-alive' }],
    ['*>S:100000000000000', { type: 'handshake', identifier: '100000000000000' }],
    ['*>S', { type: 'handshake', identifier: '' }],
    ['*@SETOUT OK,1Y', { type: 'other', prefix: '*@S' }],
    ['*#V:S-2421:2.0', { type: 'other', prefix: '*#V' }],
    ['*>TMKEY', { type: 'other', prefix: '*>T' }],
    ['*Z:*!X', { type: 'other', prefix: '*Z:' }],
  ])('%j', (body, expected) => {
    expect(parseNtcbBody(Buffer.from(body, 'latin1'))).toMatchObject(expected);
  });

  it('legacy *>T: one-byte format, and the two-byte form when the first byte is 0', () => {
    expect(parseNtcbBody(encodeLegacySingle(6, 0x01020304, Buffer.from('ab')))).toMatchObject({
      type: 'legacy-single',
      format: 6,
      eventIndex: 0x01020304,
      records: [],
    });
    const wide = Buffer.from('*>T\x00\x15\x05\x00\x00\x00', 'latin1');
    expect(parseNtcbBody(wide)).toMatchObject({ format: 0x1500, eventIndex: 5 });
  });

  it('legacy *>A carries its count', () => {
    expect(parseNtcbBody(Buffer.from('*>A\x03xyz', 'latin1'))).toMatchObject({
      type: 'legacy-array',
      count: 3,
    });
  });

  it.each([
    ['*>FLEX\xb0\x14\x14', /shorter than 10/],
    ['*>FLEX\xb0\x14\x14\x7a\xf2', /announces 122 mask bits/],
    ['*>T\x06\x01', /shorter/],
    ['*>A', /count/],
  ])('refuses malformed %j', (body, message) => {
    expect(() => parseNtcbBody(Buffer.from(body, 'latin1'))).toThrow(
      expect.objectContaining({
        reason: 'ntcb-malformed-body',
        message: expect.stringMatching(message),
      }),
    );
  });
});

describe('FLEX negotiation policy', () => {
  const request = (
    protocolVersion: number,
    structVersion: number,
    protocol = 0xb0,
  ): FlexNegotiationRequest => ({
    protocol,
    protocolVersion,
    structVersion,
    dataSize: 69,
    bitfield: Buffer.from('f3ec30000800000000', 'hex'),
  });

  it.each([
    ['1.0/1.0 accepted', request(10, 10), true, 10, 10],
    ['2.0/2.0 accepted', request(20, 20), true, 20, 20],
    ['3.0/3.0 accepted', request(30, 30), true, 30, 30],
    ['protocol 1.0 + struct 2.0 accepted', request(10, 20), true, 10, 20],
    ['FLEX 1.1 → offer 1.0', request(11, 11), false, 10, 10],
    ['4.0 → offer 3.0', request(40, 40), false, 30, 30],
    ['below 1.0 → offer 1.0', request(5, 5), false, 10, 10],
    ['protocol byte not 0xB0: accepted, answered as 0xB0', request(20, 20, 0xb1), true, 20, 20],
  ] as const)('%s', (_name, proposal, accepted, protocolVersion, structVersion) => {
    const result = negotiateFlex(proposal);
    expect(result).toMatchObject({ accepted, protocolVersion, structVersion });
    expect(result.layout === null).toBe(!accepted);
    expect(flexNegotiationReplyBody(result)).toEqual(
      Buffer.concat([Buffer.from('*<FLEX'), Buffer.from([0xb0, protocolVersion, structVersion])]),
    );
  });

  it('round-trips a negotiation body', () => {
    const body = encodeFlexNegotiation(request(10, 10));
    expect(body.toString('hex')).toBe('2a3e464c4558b00a0a45f3ec30000800000000');
    expect(parseNtcbBody(body)).toEqual({ type: 'flex-negotiation', request: request(10, 10) });
  });
});
