import { publicSessions, type PublicVector } from '../testing/public-vectors';
import { NavtelecomSession, type SessionEvent } from './session';
import { telemetryRecordToJson } from './telemetry-record';

const sessions = publicSessions();
const bytes = (vector: PublicVector): Buffer => Buffer.from(vector.hex, 'hex');
const replies = (events: readonly SessionEvent[]): string =>
  events
    .map((event) => (event.type === 'frame' ? (event.reply?.toString('hex') ?? '') : ''))
    .join('');

/** Plays the vectors before `target` of its session, then returns a session ready for it. */
function sessionBefore(target: PublicVector): NavtelecomSession {
  const session = new NavtelecomSession();
  for (const vector of allVectors.filter((candidate) => candidate.session === target.session)) {
    if (vector.id === target.id) break;
    session.push(bytes(vector));
  }
  return session;
}

const allVectors = sessions.flatMap((session) => session.vectors);
function vectorById(id: string): PublicVector {
  const vector = allVectors.find((candidate) => candidate.id === id);
  if (!vector) throw new Error(`no public vector ${id}`);
  return vector;
}

describe('public vectors (shared/data/navtelecom/sample-vectors.json)', () => {
  it('holds the six vectors of three sessions', () => {
    expect(allVectors.map((vector) => vector.id).sort()).toEqual([
      'andrewkav-handshake',
      'navtrack-v1-C',
      'navtrack-v1-negotiation',
      'spec61-flex20-A-1record',
      'spec61-flex20-E-1record',
      'spec61-flex20-negotiation',
    ]);
  });

  it.each(allVectors.map((vector) => [vector.id, vector] as const))(
    '%s: exact reply bytes, nothing damaged',
    (_id, vector) => {
      const session = sessionBefore(vector);
      const events = session.push(bytes(vector));
      expect(events.map((event) => event.type)).toEqual(['frame']);
      expect(replies(events)).toBe(vector.derived.expected_reply_hex);
      expect(session.state.bufferedBytes).toBe(0);
    },
  );

  it.each(allVectors.map((vector) => [vector.id, vector] as const))(
    '%s: split at every byte boundary gives the same reply',
    (_id, vector) => {
      const wire = bytes(vector);
      for (let cut = 1; cut < wire.length; cut++) {
        const session = sessionBefore(vector);
        const first = session.push(wire.subarray(0, cut));
        expect(first).toEqual([]);
        expect(replies(session.push(wire.subarray(cut)))).toBe(vector.derived.expected_reply_hex);
      }
    },
  );

  it.each(allVectors.map((vector) => [vector.id, vector] as const))(
    '%s: every byte flipped is refused without a reply',
    (_id, vector) => {
      const wire = bytes(vector);
      for (let position = 0; position < wire.length; position++) {
        const session = sessionBefore(vector);
        const damaged = Buffer.from(wire);
        damaged[position] ^= 0x01;
        const events = [...session.push(damaged), ...session.end()];
        expect(replies(events)).toBe('');
        expect(events.some((event) => event.type !== 'frame')).toBe(true);
      }
    },
  );

  it.each(sessions.map((session) => [session.name, session.vectors] as const))(
    'session %s in one chunk and byte by byte',
    (_name, vectors) => {
      const expected = vectors.map((vector) => vector.derived.expected_reply_hex).join('');
      const wire = Buffer.concat(vectors.map(bytes));
      expect(replies(new NavtelecomSession().push(wire))).toBe(expected);
      const byteByByte = new NavtelecomSession();
      const events = Array.from(wire).flatMap((byte) => byteByByte.push(Buffer.from([byte])));
      expect(replies(events)).toBe(expected);
    },
  );

  it('damage is counted with its reason', () => {
    // CSp covers header bytes 0..14, CSd included: a flipped CSd shows as a header checksum error.
    const cases: [string, number, string][] = [
      ['andrewkav-handshake', 15, 'ntcb-header-checksum'],
      ['andrewkav-handshake', 14, 'ntcb-header-checksum'],
      ['andrewkav-handshake', 4, 'ntcb-header-checksum'],
      ['andrewkav-handshake', 20, 'ntcb-body-checksum'],
      ['spec61-flex20-negotiation', 30, 'ntcb-body-checksum'],
      ['spec61-flex20-A-1record', 17, 'flex-crc'],
      ['spec61-flex20-E-1record', 62, 'flex-crc'],
      ['navtrack-v1-C', 41, 'flex-crc'],
    ];
    for (const [id, position, reason] of cases) {
      const vector = vectorById(id);
      const session = sessionBefore(vector);
      const damaged = bytes(vector);
      damaged[position] ^= 0xff;
      const before = session.state.damagedFrames;
      const events = session.push(damaged);
      expect(events).toEqual([expect.objectContaining({ type: 'damaged', reason })]);
      expect(session.state.damagedFrames).toBe(before + 1);
    }
  });

  it('decodes the ~A record of spec A.3', () => {
    const vector = vectorById('spec61-flex20-A-1record');
    const [event] = sessionBefore(vector).push(bytes(vector));
    expect(event.type === 'frame' && event.records.map(telemetryRecordToJson)).toEqual([
      expect.objectContaining({
        index: 30,
        eventCode: 6064,
        eventTime: '2015-12-18T14:53:21Z',
        deviceStatus: 0,
        gsmLevel: 31,
        mainPowerV: 12.052,
        latitude: null,
        longitude: null,
      }),
    ]);
  });

  it('decodes the ~C record of navtrack v1', () => {
    const vector = vectorById('navtrack-v1-C');
    const [event] = sessionBefore(vector).push(bytes(vector));
    if (event.type !== 'frame') throw new Error('expected a frame');
    const [record] = event.records;
    expect(record).toMatchObject({
      index: 65535,
      eventCode: 4096,
      valid: true,
      satellites: 12,
      gsmLevel: 12,
      speedKmh: 12.5,
      course: 12,
      mainPowerV: 0,
      backupBatteryV: 0,
    });
    expect(record.eventTime?.toISOString()).toBe('2020-06-01T00:20:22.000Z');
    expect(record.fixTime?.toISOString()).toBe('2020-06-01T00:20:22.000Z');
    expect(record.latitude).toBeCloseTo(37.33, 9);
    expect(record.longitude).toBeCloseTo(55.45, 9);
    expect(record.fields.map((field) => field.id)).toEqual([
      1, 2, 3, 4, 7, 8, 9, 10, 11, 13, 14, 19, 20, 37,
    ]);
    expect(record.fields.find((field) => field.id === 37)).toMatchObject({
      name: 'engineHoursGenerator',
      value: 0,
      unit: 's',
    });
  });

  it('decodes the ~E extra record of spec A.3', () => {
    const vector = vectorById('spec61-flex20-E-1record');
    const [event] = sessionBefore(vector).push(bytes(vector));
    if (event.type !== 'frame') throw new Error('expected a frame');
    const [record] = event.records;
    expect(record).toMatchObject({
      source: 'flex-extra',
      index: 16,
      eventCode: 0x2530,
      valid: true,
      satellites: 12,
      altitudeM: 180.7,
      speedKmh: 0,
      course: 0,
      odometerKm: 0,
    });
    expect(record.eventTime?.toISOString()).toBe('2015-08-21T14:34:45.000Z');
    expect(record.fixTime?.toISOString()).toBe('2015-08-21T14:34:20.000Z');
    expect(record.latitude).toBeCloseTo(55.178877, 6);
    expect(record.longitude).toBeCloseTo(30.233698, 6);
    expect(record.dynamic).toEqual([
      {
        type: 2,
        name: 'tachographCardNumber',
        data: Buffer.from('12000000000000000000000000000034', 'hex'),
        value: null,
      },
    ]);
  });

  it('keeps the negotiated layouts and the handshake identity', () => {
    const state = (name: string): NavtelecomSession => {
      const session = new NavtelecomSession();
      for (const vector of allVectors.filter((candidate) => candidate.session === name)) {
        session.push(bytes(vector));
      }
      return session;
    };
    expect(state('spec61').state.flex).toMatchObject({
      protocolVersion: 20,
      structVersion: 20,
      dataSize: 122,
      recordLength: 14,
    });
    expect(state('navtrack-v1').state.flex).toMatchObject({
      protocolVersion: 10,
      recordLength: 39,
    });
    expect(state('andrewkav').state).toMatchObject({
      mode: 'binary',
      imei: '100000000000000',
      deviceId: 0,
      serverId: 1,
      flex: null,
    });
  });
});
