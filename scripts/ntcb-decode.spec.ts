import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  NtcbLineDecoder,
  decodeHexTranscript,
  parseHexLine,
  type DecodedLine,
} from './ntcb-decode-lines';

interface Vector {
  id: string;
  hex: string;
  derived: { expected_reply_hex: string };
}
const vectorFile = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../shared/data/navtelecom/sample-vectors.json'), 'utf8'),
) as { sessions: Record<string, { ordered_vector_ids: string[] }>; vectors: Vector[] };
const vector = (id: string): Vector => {
  const found = vectorFile.vectors.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no vector ${id}`);
  return found;
};
const sessionInput = (): string =>
  Object.values(vectorFile.sessions)
    .map((session) => session.ordered_vector_ids.map((id) => vector(id).hex).join('\n'))
    .join('\n\n');
const decode = (input: string): DecodedLine[] =>
  decodeHexTranscript(input).map((line) => JSON.parse(line) as DecodedLine);

const negotiation = vector('spec61-flex20-negotiation').hex;
const array = vector('spec61-flex20-A-1record').hex;

describe('ntcb-decode line protocol', () => {
  it('answers every public vector in session order, one JSON line each', () => {
    const lines = decode(sessionInput());
    const ids = Object.values(vectorFile.sessions).flatMap((session) => session.ordered_vector_ids);
    expect(lines.map((line) => line.reply)).toEqual(
      ids.map((id) => vector(id).derived.expected_reply_hex),
    );
    expect(lines.every((line) => line.error === undefined)).toBe(true);
    expect(lines[1].records).toEqual([
      expect.objectContaining({
        index: 30,
        eventTime: '2015-12-18T14:53:21Z',
        latitude: null,
        longitude: null,
        speedKmh: null,
        course: null,
      }),
    ]);
    expect(lines[4].records).toEqual([
      expect.objectContaining({
        index: 65535,
        latitude: 37.33,
        longitude: 55.45,
        speedKmh: 12.5,
        course: 12,
      }),
    ]);
  });

  it('decodes a legacy *>T record (format F5.2) after a handshake, without a negotiation', () => {
    const lines = decode(
      [
        '404E5443010000007B000000130044342A3E533A383631373835303035323035303739',
        '404e5443010000000000000059009adb2a3e54250000000000ff1500040b0a1008291838001200760ee600000000000000000000000f1500040b0a10ac20703fb1aec23f00000000320149668f430000000000000000000000000000000000000000000000f3808080',
      ].join('\n'),
    );
    expect(lines[1]).toEqual({
      reply: '404e544300000000010000000700425d2a3c5400000000',
      records: [
        expect.objectContaining({
          source: 'ntcb-legacy',
          index: 0,
          eventTime: '2016-11-11T21:00:04Z',
          latitude: expect.closeTo(53.74336, 5),
          longitude: expect.closeTo(87.14437, 5),
          speedKmh: 0,
          course: 306,
        }),
      ],
    });
  });

  it('keeps a frame split over lines buffered; the completing line carries the reply', () => {
    expect(decode([negotiation, array.slice(0, 10), array.slice(10)].join('\n'))).toEqual([
      expect.objectContaining({
        reply: vector('spec61-flex20-negotiation').derived.expected_reply_hex,
      }),
      { reply: '', records: [] },
      expect.objectContaining({ reply: '7e4101df' }),
    ]);
  });

  it('prints a line at once when it ends on a unit boundary (a device waits for its reply)', () => {
    const decoder = new NtcbLineDecoder();
    const [handshake] = decoder.line(vector('andrewkav-handshake').hex);
    expect(JSON.parse(handshake ?? 'null')).toEqual({
      reply: vector('andrewkav-handshake').derived.expected_reply_hex,
      records: [],
    });
    // A line ending mid-frame waits: the connection's end may still report it truncated.
    expect(decoder.line(negotiation.slice(0, 20))).toEqual([]);
    expect(
      decoder.line(negotiation.slice(20)).map((line) => JSON.parse(line) as DecodedLine),
    ).toEqual([
      { reply: '', records: [] },
      expect.objectContaining({
        reply: vector('spec61-flex20-negotiation').derived.expected_reply_hex,
      }),
    ]);
    expect(decoder.end()).toEqual([]);
  });

  it('reports truncated input only when the connection ends mid-frame', () => {
    const lines = decode([negotiation, array.slice(0, 10), '', negotiation].join('\n'));
    expect(lines[1]).toEqual({ reply: '', records: [], error: expect.stringMatching(/truncated/) });
    expect(lines[2].error).toBeUndefined();
  });

  it('an empty line starts a new connection: the mask is gone', () => {
    const [, second] = decode([negotiation, '', array].join('\n'));
    expect(second).toEqual({
      reply: '',
      records: [],
      error: expect.stringMatching(/fatal unknown-format/),
    });
  });

  it('reports damage, then goes on with the same connection', () => {
    const damaged = `${array.slice(0, -2)}00`;
    const lines = decode([negotiation, damaged, array].join('\n'));
    expect(lines[1]).toEqual({ reply: '', records: [], error: expect.stringMatching(/flex-crc/) });
    expect(lines[2].reply).toBe('7e4101df');
  });

  it('several frames on one line: all replies concatenated', () => {
    const [line] = decode(`${negotiation}${array}${array}`);
    expect(line.reply).toBe(
      `${vector('spec61-flex20-negotiation').derived.expected_reply_hex}7e4101df7e4101df`,
    );
    expect(line.records).toHaveLength(2);
  });

  it('after a fatal error the connection only reports it', () => {
    const lines = decode(['474554202f', negotiation].join('\n'));
    expect(lines[0].error).toMatch(/fatal unknown-format/);
    expect(lines[1]).toEqual({
      reply: '',
      records: [],
      error: expect.stringMatching(/already closed/),
    });
  });

  it('decodes design-note text frames with their ACKs', () => {
    const text = (frame: string): string => Buffer.from(frame).toString('hex');
    const imei = '123456789012345';
    const lines = decode(
      [
        text(`~A${imei},1758122293,55.7558,37.6176,30.0,90.0,8,2.0~`),
        text(`~X${imei},CF00400,FF,7D,7D,E0,15,FF,F0,FF~`),
        text(`~E${imei},1,1234567890,Event description~`),
      ].join('\n'),
    );
    expect(lines.map((line) => Buffer.from(line.reply, 'hex').toString())).toEqual([
      `~AACK,${imei}~`,
      `~XACK,${imei}~`,
      `~EACK,${imei}~`,
    ]);
    expect(lines[0].records).toEqual([
      expect.objectContaining({
        eventTime: '2025-09-17T15:18:13Z',
        latitude: 55.7558,
        longitude: 37.6176,
        speedKmh: 30,
        course: 90,
      }),
    ]);
    expect(lines[1].canFrames).toEqual([
      expect.objectContaining({
        protocol: 'j1939',
        pgn: 61444,
        values: expect.arrayContaining([
          { name: 'engineSpeed', value: 700, unit: 'rpm', source: 'j1939:spn190' },
        ]),
      }),
    ]);
    expect(lines[2].events).toEqual([
      { imei, eventType: '1', eventTime: '2009-02-13T23:31:30Z', description: 'Event description' },
    ]);
  });

  it.each([
    ['7e43b9', '7e43b9'],
    [' 7e 43 b9 ', '7e43b9'],
    ['0x7E43B9', '7e43b9'],
    ['7e4', null],
    ['xyz', null],
  ])('parseHexLine(%j)', (line, hex) => {
    expect(parseHexLine(line)?.toString('hex') ?? null).toBe(hex);
  });

  it('bad hex is reported on its own line', () => {
    expect(decode('zz')).toEqual([
      { reply: '', records: [], error: expect.stringMatching(/invalid hex/) },
    ]);
  });
});

describe('scripts/ntcb-decode (the real executable)', () => {
  it('answers a line before the next one is written (request/response use)', async () => {
    const child = spawn(path.join(__dirname, 'ntcb-decode'), [], {
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const firstLine = new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      child.on('close', () => reject(new Error(`exited before answering: ${out}`)));
      timer = setTimeout(() => reject(new Error('no answer while stdin is still open')), 20_000);
    });
    // stdin stays open: the device is still connected and waits for this reply.
    child.stdin.write(`${vector('andrewkav-handshake').hex}\n`);
    try {
      expect(JSON.parse(await firstLine)).toEqual({
        reply: vector('andrewkav-handshake').derived.expected_reply_hex,
        records: [],
      });
    } finally {
      clearTimeout(timer);
      child.stdin.end();
      await exited;
    }
  }, 30_000);

  it('prints one JSON line per non-empty input line', () => {
    const result = spawnSync(path.join(__dirname, 'ntcb-decode'), [], {
      input: `${sessionInput()}\n`,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` },
      timeout: 30_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as DecodedLine);
    expect(lines.map((line) => line.reply)).toEqual(
      decode(sessionInput()).map((line) => line.reply),
    );
  });
});
