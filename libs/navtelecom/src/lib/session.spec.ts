import fc from 'fast-check';
import { encodeExtraRecord } from './flex-extra-record';
import { flexBitfieldFor } from './flex-layout';
import type { FlexVersion } from './flex-fields';
import {
  encodeFlexAlarm,
  encodeFlexArray,
  encodeFlexCurrent,
  encodeFlexExtraAlarm,
  encodeFlexExtraArray,
  flexCountReply,
  flexIndexReply,
} from './flex-messages';
import { encodeFlexRecord, flexPositionValues } from './flex-record';
import { flexLayoutFor } from './flex-layout';
import {
  encodeFlexNegotiation,
  encodeHandshake,
  encodeLegacyArray,
  encodeLegacySingle,
  encodeNtcbPacket,
} from './ntcb';
import { NavtelecomSession, type SessionEvent } from './session';
import { encodeTextCan, encodeTextEvent, encodeTextPosition } from './text-format';

const IMEI = '861230043907626';
const DEVICE = { receiverId: 1, senderId: 49722825 };
const FIELDS = [1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 19, 55];
const ntcb = (body: Buffer | string): Buffer =>
  encodeNtcbPacket(DEVICE, typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
const negotiation = (version: FlexVersion, fields = FIELDS): Buffer =>
  ntcb(
    encodeFlexNegotiation({
      protocol: 0xb0,
      protocolVersion: version,
      structVersion: version,
      ...flexBitfieldFor(fields, version),
    }),
  );
const record = (index: number, version: FlexVersion = 30, fields = FIELDS): Buffer =>
  encodeFlexRecord(
    flexLayoutFor(fields, version),
    flexPositionValues({
      index,
      eventTime: new Date(1_700_000_000_000 + index * 1000),
      valid: true,
      satellites: 9,
      latitude: 59.9 + index / 1000,
      longitude: 30.3,
      speedKmh: 40,
      course: 180,
    }),
  );
const extra = (index: number): Buffer =>
  encodeExtraRecord({ index, eventCode: 0x2530, eventTime: new Date(1_700_000_000_000) });

/** `bytes` + their FLEX CRC-8, bit by bit from spec §6.1 (independent of checksums.ts). */
function crc8Framed(bytes: Buffer): Buffer {
  let crc = 0xff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  }
  return Buffer.concat([bytes, Buffer.from([crc])]);
}

const replies = (events: readonly SessionEvent[]): string =>
  events
    .map((event) => (event.type === 'frame' ? (event.reply?.toString('hex') ?? '') : ''))
    .join('');
const kinds = (events: readonly SessionEvent[]): string[] =>
  events.map((event) => (event.type === 'frame' ? event.type : `${event.type}:${event.reason}`));

/** A whole FLEX 3.0 device session and the replies a server owes it. */
/** Sizes (1..max) to cut a byte stream with, used in turn: how TCP may deliver it. */
const chunkSizes = (max: number): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max }), { minLength: 1, maxLength: 16 });

/** What `push` returns for `bytes` delivered in chunks of `sizes` (cycled). */
function inChunks(
  bytes: Buffer,
  sizes: readonly number[],
  push: (chunk: Buffer) => SessionEvent[],
): SessionEvent[] {
  const events: SessionEvent[] = [];
  for (let at = 0, turn = 0; at < bytes.length; turn++) {
    const size = sizes[turn % sizes.length] as number;
    events.push(...push(bytes.subarray(at, at + size)));
    at += size;
  }
  return events;
}

function deviceSession(): { wire: Buffer; replies: string; records: number } {
  const units = [
    ntcb(encodeHandshake(IMEI)),
    negotiation(30),
    encodeFlexArray([record(1), record(2), record(3)]),
    Buffer.from([0x7f]),
    encodeFlexAlarm(77, record(4)),
    encodeFlexCurrent(record(0)),
    encodeFlexExtraArray([extra(5), extra(6)]),
    encodeFlexExtraAlarm(78, extra(7)),
    ntcb(Buffer.alloc(0)),
  ];
  const session = new NavtelecomSession();
  const events = units.flatMap((unit) => session.push(unit));
  expect(kinds(events)).toEqual(units.map(() => 'frame'));
  return { wire: Buffer.concat(units), replies: replies(events), records: 8 };
}

describe('NavtelecomSession: binary', () => {
  it('answers a full session exactly, ids swapped', () => {
    const session = new NavtelecomSession();
    const events = session.push(deviceSession().wire);
    const [handshake] = events;
    expect(handshake.type === 'frame' && handshake.reply?.toString('hex')).toBe(
      encodeNtcbPacket({ receiverId: 49722825, senderId: 1 }, Buffer.from('*<S')).toString('hex'),
    );
    expect(
      events.flatMap((event) => (event.type === 'frame' ? event.records : [])).map((r) => r.index),
    ).toEqual([1, 2, 3, 4, 0, 5, 6, 7]);
    expect(session.state).toMatchObject({
      mode: 'binary',
      imei: IMEI,
      deviceId: 49722825,
      serverId: 1,
      framesDecoded: 9,
      damagedFrames: 0,
      bufferedBytes: 0,
    });
    expect(replies(events)).toContain('7e4103bd');
    expect(replies(events)).toContain('7e43b9');
    expect(replies(events)).toContain(flexCountReply('E', 2).toString('hex'));
    expect(replies(events)).toContain(flexIndexReply('X', 78).toString('hex'));
  });

  it('gives the same replies for any chunking', () => {
    const { wire, replies: expected } = deviceSession();
    fc.assert(
      fc.property(chunkSizes(40), (sizes) => {
        const session = new NavtelecomSession();
        expect(replies(inChunks(wire, sizes, (chunk) => session.push(chunk)))).toBe(expected);
      }),
      { numRuns: 200 },
    );
    const byteByByte = new NavtelecomSession();
    expect(replies(Array.from(wire).flatMap((byte) => byteByByte.push(Buffer.from([byte]))))).toBe(
      expected,
    );
  });

  it('accepts *>FLEX without a handshake and a later renegotiation', () => {
    const session = new NavtelecomSession();
    session.push(negotiation(10, [1, 2]));
    expect(session.state.flex?.recordLength).toBe(6);
    session.push(negotiation(20, [1, 3, 13]));
    expect(session.state.flex).toMatchObject({ protocolVersion: 20, recordLength: 12 });
    const events = session.push(encodeFlexCurrent(record(5, 20, [1, 3, 13])));
    expect(events[0].type === 'frame' && events[0].records[0]).toMatchObject({
      index: 5,
      speedKmh: 40,
    });
  });

  it('keeps the old mask when the device proposes an unknown version', () => {
    const session = new NavtelecomSession();
    session.push(negotiation(10, [1]));
    const proposal = encodeFlexNegotiation({
      protocol: 0xb0,
      protocolVersion: 11,
      structVersion: 11,
      dataSize: 85,
      bitfield: Buffer.alloc(11, 0xff),
    });
    const [event] = session.push(ntcb(proposal));
    expect(event.type === 'frame' && event.reply?.subarray(16).toString('hex')).toBe(
      Buffer.from('*<FLEX\xb0\x0a\x0a', 'latin1').toString('hex'),
    );
    expect(session.state.flex?.recordLength).toBe(4);
  });

  it('answers legacy *>T and *>A, not command answers or keep-alives', () => {
    const session = new NavtelecomSession();
    const events = session.push(
      Buffer.concat([
        ntcb(encodeLegacySingle(6, 0x0a0b0c0d, Buffer.alloc(10))),
        ntcb(encodeLegacyArray(2, Buffer.alloc(20))),
        ntcb('*@SETOUT OK,1Y'),
        ntcb(Buffer.alloc(0)),
      ]),
    );
    const bodies = events.map((event) =>
      event.type === 'frame' ? (event.reply?.subarray(16).toString('latin1') ?? null) : 'damaged',
    );
    expect(bodies).toEqual(['*<T\x0d\x0c\x0b\x0a', '*<A\x02', null, null]);
  });

  it('after a header with a bad checksum: one damaged event, then resync on the next NTCB header', () => {
    const session = new NavtelecomSession();
    session.push(ntcb(encodeHandshake(IMEI)));
    const bad = ntcb('*>S:1');
    bad[15] ^= 1;
    const events = session.push(
      Buffer.concat([bad, negotiation(10, [1]), encodeFlexCurrent(record(3, 10, [1]))]),
    );
    expect(kinds(events)).toEqual(['damaged:ntcb-header-checksum', 'frame', 'frame']);
    expect(replies(events)).toMatch(/7e43b9$/);
    expect(session.state.damagedFrames).toBe(1);
  });

  it.each([
    ['~A before negotiation', encodeFlexArray([record(1)]), 'flex-before-negotiation', false],
    ['an unknown FLEX type', Buffer.from('7e5a0102030405', 'hex'), 'flex-unknown-type', true],
    ['a byte that starts nothing', Buffer.from('00112233', 'hex'), 'unexpected-byte', true],
  ] as const)(
    'after %s the frame boundaries are lost: damaged, then fatal, nothing after it answered',
    (_name, bad, reason, negotiated) => {
      const session = new NavtelecomSession();
      session.push(ntcb(encodeHandshake(IMEI)));
      if (negotiated) session.push(negotiation(10, [1]));
      const events = session.push(
        Buffer.concat([bad, negotiation(10, [1]), encodeFlexCurrent(record(3, 10, [1]))]),
      );
      expect(kinds(events)).toEqual([`damaged:${reason}`, 'fatal:framing-lost']);
      expect(session.state).toMatchObject({
        mode: 'closed',
        fatal: 'framing-lost',
        bufferedBytes: 0,
      });
      expect(session.push(encodeFlexCurrent(record(4, 10, [1])))).toEqual([]);
    },
  );

  it.each([
    // Bytes written out by hand (spec §6): `~E` count 1, one extra record with L = 39 (struct
    // 1.0, static length 37, zero static part); `~X` index 5 with the same record; `~N` module
    // 0x80, photo 1, time 0; `~P` module 1, put 2, len 1, data 0xAA. CRCs computed below.
    ['~E', `7e4501${'2700'}0a25${'00'.repeat(37)}`],
    ['~X', `7e5805000000${'2700'}0a25${'00'.repeat(37)}`],
    ['~N', '7e4e800100000000'],
    ['~P', '7e5001020100aa'],
  ])(
    'a %s before any *>FLEX is refused unanswered (spec §7.4), and framing goes on',
    (_type, body) => {
      const message = crc8Framed(Buffer.from(body, 'hex'));
      const session = new NavtelecomSession();
      session.push(ntcb(encodeHandshake(IMEI)));
      const events = session.push(
        Buffer.concat([message, negotiation(10, [1]), encodeFlexCurrent(record(3, 10, [1]))]),
      );
      expect(kinds(events)).toEqual(['damaged:flex-before-negotiation', 'frame', 'frame']);
      expect(events[0].type === 'damaged' && events[0].raw).toEqual(message);
      expect(replies(events)).toMatch(/7e43b9$/);
      // After the negotiation the same bytes are a valid message and answered.
      const after = session.push(message);
      expect(kinds(after)).toEqual(['frame']);
    },
  );

  it('drops exactly the damaged unit on a bad CSd or CRC8', () => {
    const session = new NavtelecomSession();
    session.push(negotiation(10, [1]));
    const badBody = ntcb('*>S:123');
    badBody[18] ^= 1;
    const badCrc = encodeFlexCurrent(record(1, 10, [1]));
    badCrc[badCrc.length - 1] ^= 1;
    const events = session.push(
      Buffer.concat([badBody, badCrc, encodeFlexCurrent(record(2, 10, [1]))]),
    );
    expect(kinds(events)).toEqual(['damaged:ntcb-body-checksum', 'damaged:flex-crc', 'frame']);
    expect(replies(events)).toBe('7e43b9');
  });

  it('a bad header checksum on a packet whose length and body checksum hold drops that packet only', () => {
    const session = new NavtelecomSession();
    session.push(negotiation(10, [1]));
    const bad = ntcb('*@SETOUT OK,1Y');
    bad[15] ^= 1;
    const events = session.push(
      Buffer.concat([
        bad,
        encodeFlexCurrent(record(3, 10, [1])),
        encodeFlexCurrent(record(4, 10, [1])),
      ]),
    );
    // Resynchronising on the next NTCB header dropped both FLEX messages (spec §7: drop the unit).
    expect(kinds(events)).toEqual(['damaged:ntcb-header-checksum', 'frame', 'frame']);
    expect(events[0].type === 'damaged' && events[0].raw).toEqual(bad);
    // A length that the body checksum does not confirm is not trusted: resync as before.
    const corrupt = ntcb('*@SETOUT OK,1Y');
    corrupt[12] ^= 1;
    const after = session.push(
      Buffer.concat([corrupt, encodeFlexCurrent(record(5, 10, [1])), ntcb(encodeHandshake(IMEI))]),
    );
    expect(kinds(after)).toEqual(['damaged:ntcb-header-checksum', 'frame']);
  });

  it('gives up resynchronising after maxResyncBytes: fatal, then silent', () => {
    const session = new NavtelecomSession({ maxResyncBytes: 1000 });
    session.push(ntcb(encodeHandshake(IMEI)));
    const bad = ntcb('*>S:1');
    bad[15] ^= 1;
    const events = session.push(Buffer.concat([bad, Buffer.alloc(5000, 0x01)]));
    expect(kinds(events)).toEqual(['damaged:ntcb-header-checksum', 'fatal:resync-failed']);
    expect(session.state).toMatchObject({
      mode: 'closed',
      fatal: 'resync-failed',
      bufferedBytes: 0,
    });
    expect(session.push(ntcb(encodeHandshake(IMEI)))).toEqual([]);
  });

  it('skips an oversized unit without buffering it and goes on', () => {
    const session = new NavtelecomSession({ maxFrameBytes: 100 });
    session.push(negotiation(10, [1]));
    const big = ntcb(Buffer.alloc(500, 0x41));
    const first = session.push(big.subarray(0, 50));
    expect(kinds(first)).toEqual(['damaged:frame-too-large']);
    expect(session.state.bufferedBytes).toBe(0);
    const rest = session.push(
      Buffer.concat([big.subarray(50), encodeFlexCurrent(record(1, 10, [1]))]),
    );
    expect(replies(rest)).toBe('7e43b9');
    const oversizedArray = encodeFlexArray(
      Array.from({ length: 40 }, (_, i) => record(i, 10, [1])),
    );
    expect(kinds(session.push(oversizedArray))).toEqual(['damaged:frame-too-large']);
  });

  it('reports a unit cut short by the end of the connection', () => {
    const session = new NavtelecomSession();
    const handshake = ntcb(encodeHandshake(IMEI));
    expect(session.push(handshake.subarray(0, 10))).toEqual([]);
    expect(kinds(session.end())).toEqual(['damaged:truncated']);
    expect(session.push(handshake)).toEqual([]);
  });

  it.each([
    ['HTTP', Buffer.from('GET / HTTP/1.1\r\n')],
    ['binary FLEX before any NTCB', Buffer.from('7e4101', 'hex')],
    ['a tilde with a non-frame letter', Buffer.from('~Q12')],
  ])('refuses %s as an unknown format', (_name, bytes) => {
    const session = new NavtelecomSession();
    expect(kinds(session.push(bytes))).toEqual(['fatal:unknown-format']);
  });

  it('pings before the first unit keep the session undecided', () => {
    const session = new NavtelecomSession();
    expect(kinds(session.push(Buffer.from([0x7f, 0x7f])))).toEqual(['frame', 'frame']);
    expect(session.state.mode).toBe('undecided');
  });
});

describe('NavtelecomSession: text', () => {
  const time = new Date('2025-09-17T15:18:13Z');
  const gps = (latitude: number): Buffer =>
    encodeTextPosition({
      imei: IMEI,
      time,
      latitude,
      longitude: 37.6,
      speedKmh: 30,
      course: 90,
      satellites: 8,
    });
  const ack = `~AACK,${IMEI}~`;
  const acks = (events: readonly SessionEvent[]): string =>
    Buffer.from(replies(events), 'hex').toString();

  it('keep-alives and line ends before the first frame keep the connection undecided', () => {
    for (const opening of ['\r\n', 'PING\r\n', 'KEEPALIVE\n', '~PING~', '~KA~', '~ALIVE~']) {
      const session = new NavtelecomSession();
      const events = session.push(Buffer.concat([Buffer.from(opening), gps(55.7)]));
      expect(events.filter((event) => event.type !== 'frame')).toEqual([]);
      expect(acks(events)).toBe(ack);
    }
    const session = new NavtelecomSession();
    expect(session.push(Buffer.from('PIN'))).toEqual([]);
    expect(session.push(Buffer.from('G\r\n@'))).toEqual([
      expect.objectContaining({ type: 'frame', frame: { kind: 'ping' } }),
    ]);
    expect(session.state.mode).toBe('binary');
    for (const opening of ['GET / HTTP/1.1\r\n', 'PONG\n', '~PONG~']) {
      const events = new NavtelecomSession().push(Buffer.from(opening));
      expect(events).toEqual([
        expect.objectContaining({ type: 'fatal', reason: 'unknown-format' }),
      ]);
    }
  });

  it('a frame that lost its closing ~ costs that frame only; a doubled ~ costs nothing', () => {
    const session = new NavtelecomSession();
    const cut = gps(55.1).subarray(0, -1);
    const events = session.push(
      Buffer.concat([cut, Buffer.from('\r\n'), gps(55.2), Buffer.from('~'), gps(55.3)]),
    );
    expect(events.map((event) => (event.type === 'damaged' ? event.reason : event.type))).toEqual([
      'text-malformed',
      'frame',
      'text-garbage',
      'frame',
    ]);
    expect(acks(events)).toBe(ack + ack);
    expect(session.push(Buffer.from(`~PING~~KA~${gps(55.4).toString()}`))).toHaveLength(3);
  });

  it('an event description may be UTF-8; other bytes beyond ASCII are refused', () => {
    const session = new NavtelecomSession();
    const events = session.push(
      Buffer.concat([
        encodeTextEvent(IMEI, '1', time, 'Дверь открыта'),
        Buffer.from(`~E${IMEI},1,1234567890,`),
        Buffer.from([0xff, 0x7e]),
      ]),
    );
    expect(events[0]).toMatchObject({
      type: 'frame',
      frame: { frame: { description: 'Дверь открыта' } },
    });
    expect(events[1]).toMatchObject({ type: 'damaged', reason: 'text-malformed' });
  });

  it('decodes GPS, CAN and event frames and acknowledges each', () => {
    const session = new NavtelecomSession();
    const events = session.push(
      Buffer.concat([
        encodeTextPosition({
          imei: IMEI,
          time,
          latitude: 55.7558,
          longitude: 37.6176,
          speedKmh: 30,
          course: 90,
          satellites: 8,
          hdop: 2,
        }),
        Buffer.from('\r\n'),
        encodeTextCan('T', IMEI, 0x7e8, Buffer.from('03410d12', 'hex')),
        encodeTextCan('X', IMEI, 0x0cf00400, Buffer.from('ff7d7de015fff0ff', 'hex')),
        encodeTextEvent(IMEI, '1', time, 'Door, open'),
        Buffer.from(`~KA,${IMEI},OK~PING\n`),
      ]),
    );
    expect(kinds(events)).toEqual(['frame', 'frame', 'frame', 'frame', 'frame', 'frame']);
    expect(Buffer.from(replies(events), 'hex').toString()).toBe(
      `~AACK,${IMEI}~~TACK,${IMEI}~~XACK,${IMEI}~~EACK,${IMEI}~`,
    );
    const [gps, obd, j1939, event] = events;
    expect(gps.type === 'frame' && gps.records[0]).toMatchObject({
      source: 'text',
      eventTime: time,
      latitude: 55.7558,
      longitude: 37.6176,
      speedKmh: 30,
      course: 90,
      satellites: 8,
      hdop: 2,
    });
    const can = (value: SessionEvent) =>
      value.type === 'frame' && value.frame.kind === 'text' && value.frame.frame.type === 'can'
        ? value.frame.frame.can.values
        : [];
    expect(can(obd)).toEqual([
      { name: 'vehicleSpeed', value: 18, unit: 'km/h', source: 'obd2:pid0D' },
    ]);
    expect(can(j1939)).toContainEqual({
      name: 'engineSpeed',
      value: 700,
      unit: 'rpm',
      source: 'j1939:spn190',
    });
    expect(event.type === 'frame' && event.frame).toMatchObject({
      kind: 'text',
      frame: { type: 'event', eventType: '1', description: 'Door, open' },
    });
    expect(session.state).toMatchObject({ mode: 'text', imei: IMEI });
  });

  it.each([
    ['latitude out of range', `~A${IMEI},1758122293,123.45,37.6,30.0,90.0,8,2.0~`],
    ['short IMEI', '~A12345,1758122293,55.7,37.6,30.0,90.0,8~'],
    ['non-hex CAN byte', `~T${IMEI},180,01,ZZ~`],
  ])('refuses %s without a reply and goes on', (_name, bad) => {
    const session = new NavtelecomSession();
    const good = encodeTextEvent(IMEI, '2', time, 'ok');
    const events = session.push(Buffer.concat([Buffer.from(bad), good]));
    expect(kinds(events)).toEqual(['damaged:text-malformed', 'frame']);
    expect(Buffer.from(replies(events), 'hex').toString()).toBe(`~EACK,${IMEI}~`);
  });

  it('a text frame without its closing ~ is fatal past the limit, never buffered beyond it', () => {
    const session = new NavtelecomSession({ maxTextFrameBytes: 64 });
    expect(session.push(Buffer.from(`~A${IMEI},`))).toEqual([]);
    expect(kinds(session.push(Buffer.alloc(100, 0x31)))).toEqual(['fatal:text-frame-too-large']);
    expect(session.state.bufferedBytes).toBe(0);
  });

  it('garbage between frames is counted, then framing goes on', () => {
    const session = new NavtelecomSession();
    session.push(encodeTextEvent(IMEI, '1', time, 'x'));
    const events = session.push(
      Buffer.concat([Buffer.from('junk\n'), encodeTextEvent(IMEI, '1', time, 'y')]),
    );
    expect(kinds(events)).toEqual(['damaged:text-garbage', 'frame']);
  });
});

describe('NavtelecomSession: fuzz', () => {
  const maxFrameBytes = 4096;
  const frameStarts = [0x40, 0x7e, 0x7f];

  /** Feeds `bytes` in chunks, checking the buffer bound after each; no internal error in all. */
  function survives(session: NavtelecomSession, bytes: Buffer, sizes: number[]): void {
    const events = inChunks(bytes, sizes, (chunk) => {
      const pushed = session.push(chunk);
      expect(session.state.bufferedBytes).toBeLessThanOrEqual(maxFrameBytes);
      return pushed;
    });
    events.push(...session.end());
    expect(
      events.filter((event) => event.type === 'fatal' && event.reason === 'internal-error'),
    ).toEqual([]);
  }

  it('random bytes, often framed: no throw, no internal error, bounded buffer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400, size: 'max' }),
        fc.option(fc.constantFrom(...frameStarts), { freq: 3 }),
        fc.boolean(),
        chunkSizes(64),
        (bytes, start, negotiated, sizes) => {
          const input = Buffer.from(bytes);
          if (start !== null && input.length > 0) input[0] = start;
          const session = new NavtelecomSession({ maxFrameBytes, maxTextFrameBytes: 256 });
          if (negotiated) session.push(negotiation(30));
          survives(session, input, sizes);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('mutated valid sessions: no throw, no internal error, bounded buffer', () => {
    const { wire } = deviceSession();
    const mutation = fc.record({
      at: fc.nat({ max: wire.length - 1 }),
      byte: fc.nat({ max: 0xff }),
    });
    fc.assert(
      fc.property(
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        chunkSizes(64),
        (mutations, sizes) => {
          const mutated = Buffer.from(wire);
          for (const { at, byte } of mutations) mutated[at] = byte;
          survives(new NavtelecomSession({ maxFrameBytes }), mutated, sizes);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('random printable text after a valid text frame: no throw, bounded buffer', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii', maxLength: 300, size: 'max' }),
        chunkSizes(64),
        (text, sizes) => {
          const session = new NavtelecomSession({ maxFrameBytes, maxTextFrameBytes: 256 });
          session.push(encodeTextEvent(IMEI, '1', new Date(0), 'start'));
          survives(session, Buffer.from(text, 'latin1'), sizes);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
