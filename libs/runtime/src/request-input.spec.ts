import {
  Body,
  Controller,
  type INestApplication,
  Param,
  Post,
  Put,
  UploadedFile,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import fc from 'fast-check';
import { IsOptional, IsString } from 'class-validator';
import { AcceptsBody } from './body-media-type';
import { configureHttp } from './bootstrap';
import { MultipartFileUpload } from './multipart-upload';
import { BODY_TOO_DEEP, INVALID_CHARACTER, MAX_JSON_DEPTH, problemInJson } from './request-input';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { a: value };
  return value;
}

describe('problemInJson', () => {
  it.each([
    ['a plain body', { name: 'Ann', seats: [{ place: 3 }], note: null, ok: true }],
    ['a body at the depth limit', nested(MAX_JSON_DEPTH)],
    ['a well-formed surrogate pair', { name: '\u{1F600}' }],
    ['a key merely containing "constructor"', { constructorName: 'x' }],
  ])('accepts %s', (_, value) => {
    expect(problemInJson(value)).toBeNull();
  });

  it.each([
    ['U+0000 in a value', { user: { name: 'a\u0000b' } }, INVALID_CHARACTER, 'user.name'],
    ['U+0000 in a list item', { seats: ['a', 'b\u0000'] }, INVALID_CHARACTER, 'seats[1]'],
    ['U+0000 in a key', { 'a\u0000': 1 }, INVALID_CHARACTER, 'the key of a\u0000'],
    ['an unpaired surrogate', { name: 'x\ud800' }, INVALID_CHARACTER, 'name'],
    ['a lone low surrogate', { name: '\udc00x' }, INVALID_CHARACTER, 'name'],
    ['a top-level string with U+0000', '\u0000', INVALID_CHARACTER, 'the body'],
    ['one level too deep', nested(MAX_JSON_DEPTH + 1), BODY_TOO_DEEP, 'nested deeper'],
    ['__proto__', JSON.parse('{"__proto__":{"admin":true}}'), 'VALIDATION_FAILED', '__proto__'],
    ['a nested constructor', { a: [{ constructor: 1 }] }, 'VALIDATION_FAILED', 'a[0].constructor'],
    ['prototype', { prototype: {} }, 'VALIDATION_FAILED', 'prototype'],
  ])('refuses %s', (_, value, code, inMessage) => {
    const problem = problemInJson(value);
    expect(problem?.kind).toBe('invalid_input');
    expect(problem?.code).toBe(code);
    expect(problem?.message).toContain(inMessage);
  });

  // Text pieces that matter here: plain text, U+0000, a surrogate pair and each of its halves.
  const hostileJson = fc.jsonValue({
    maxDepth: 6,
    stringUnit: fc.constantFrom('a', 'é', '\u0000', '\u{1F600}', '\ud83d', '\ude00'),
  });
  // Well-formed JSON.stringify writes U+0000 and lone surrogates (and, of these pieces, only
  // them) as \uXXXX escapes, keys included: an oracle independent of the walker.
  const unstorable = (value: unknown): boolean =>
    /\\u(0000|d[89a-f][0-9a-f]{2})/i.test(JSON.stringify(value));

  it('refuses a JSON value exactly when some key or string cannot be stored', () => {
    fc.assert(
      fc.property(hostileJson, (value) => {
        expect(problemInJson(value)?.code).toBe(unstorable(value) ? INVALID_CHARACTER : undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any object or array nested below the depth limit, whatever it holds', () => {
    fc.assert(
      fc.property(hostileJson, (value) => {
        let wrapped: unknown = value;
        for (let level = 0; level < MAX_JSON_DEPTH; level++) wrapped = [wrapped];
        const expected =
          typeof value === 'object' && value !== null
            ? BODY_TOO_DEEP
            : unstorable(value)
              ? INVALID_CHARACTER
              : undefined;
        expect(problemInJson(wrapped)?.code).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

class NoteBody {
  @IsString()
  text!: string;

  @IsOptional()
  @IsString()
  tag?: string;
}

@Controller('notes')
class NotesController {
  readonly received: unknown[] = [];

  // Express matches `POST /notes/latest` to `POST /notes/:name` too: only PUT is routed here.
  @Put('latest')
  @AcceptsBody('text/csv')
  replaceLatest(): { name: string } {
    return { name: 'latest' };
  }

  @Post('upload/file')
  @MultipartFileUpload('file', 16)
  upload(@UploadedFile() file: { buffer: Buffer } | undefined): { bytes: number | null } {
    this.received.push(file?.buffer.toString() ?? null);
    return { bytes: file?.buffer.length ?? null };
  }

  @Post(':name')
  create(@Param('name') name: string, @Body() body: NoteBody): { name: string } {
    this.received.push(body);
    return { name };
  }
}

describe('hostile input at the HTTP edge (configureHttp)', () => {
  let app: INestApplication;
  let controller: NotesController;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [NotesController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttp(app, { apiPrefix: 'test_api', bodyLimit: '8kb' });
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/test_api/v1/notes`;
    controller = app.get(NotesController);
  });

  afterAll(() => app.close());

  async function post(path: string, body: string): Promise<[number, Record<string, unknown>]> {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return [response.status, (await response.json()) as Record<string, unknown>];
  }

  it('passes a good body through', async () => {
    const [status, body] = await post('/a', '{"text":"hello"}');
    expect([status, body]).toEqual([201, { name: 'a' }]);
  });

  it('answers a method a routed path does not take with 405 and Allow, an unrouted path 404', async () => {
    const wrong = await fetch(`${base}/a`, { method: 'DELETE' });
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'POST']);
    expect(await wrong.json()).toMatchObject({ statusCode: 405, code: 'METHOD_NOT_ALLOWED' });
    const nowhere = await fetch(`${base}/a/b`, { method: 'DELETE' });
    expect([nowhere.status, nowhere.headers.get('allow')]).toEqual([404, null]);
  });

  it('answers a method a parameterless path does not take with 405, though a template matches it', async () => {
    controller.received.length = 0;
    const [status, body] = await post('/Latest/', '{"text":"hello"}');
    expect([status, body]).toMatchObject([405, { code: 'METHOD_NOT_ALLOWED' }]);
    expect(controller.received).toEqual([]);
    const put = await fetch(`${base}/latest`, { method: 'PUT' });
    expect(put.status).toBe(200);
  });

  it('reads null in an optional field as absent, and refuses it in a required one', async () => {
    controller.received.length = 0;
    expect((await post('/a', '{"text":"hi","tag":null}'))[0]).toBe(201);
    expect(controller.received).toHaveLength(1);
    expect(Object.keys(controller.received[0] as object)).toEqual(['text']);
    expect((await post('/a', '{"text":null}'))[0]).toBe(400);
  });

  it.each([
    ['U+0000 in a field', 400, INVALID_CHARACTER, '/a', '{"text":"a\\u0000b"}'],
    ['U+0000 in a path parameter', 400, INVALID_CHARACTER, '/a%00b', '{"text":"x"}'],
    ['U+0000 in the query', 400, INVALID_CHARACTER, '/a?x=%00', '{"text":"x"}'],
    ['thousands of levels', 400, BODY_TOO_DEEP, '/a', `${'['.repeat(3000)}${']'.repeat(3000)}`],
    ['malformed JSON', 400, 'MALFORMED_BODY', '/a', '{"text":'],
    [
      'a top-level __proto__',
      400,
      'VALIDATION_FAILED',
      '/a',
      '{"text":"x","__proto__":{"tag":"y"}}',
    ],
    ['a top-level constructor', 400, 'VALIDATION_FAILED', '/a', '{"text":"x","constructor":"y"}'],
    ['an unknown field', 400, 'VALIDATION_FAILED', '/a', '{"text":"x","zzz":1}'],
    [
      'a body over the limit',
      413,
      'PAYLOAD_TOO_LARGE',
      '/a',
      JSON.stringify({ text: 'x'.repeat(9000) }),
    ],
  ])('refuses %s: a JSON %i %s', async (_, status, code, path, rawBody) => {
    const before = controller.received.length;
    const [actualStatus, body] = await post(path, rawBody);
    expect([actualStatus, body['code']]).toEqual([status, code]);
    expect(controller.received).toHaveLength(before);
  });

  it.each([
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
  ])('refuses a body with %s, not stored as U+FFFD: 400 INVALID_CHARACTER', async (_, bytes) => {
    const before = controller.received.length;
    const response = await fetch(`${base}/a`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"text":"a'), Buffer.from(bytes), Buffer.from('b"}')]),
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect([response.status, body['code']]).toEqual([400, INVALID_CHARACTER]);
    expect(controller.received).toHaveLength(before);
    const valid = await post('/a', '{"text":"Café ☕ 😀"}');
    expect(valid[0]).toBe(201);
  });

  it.each([
    ['null', 'Request body must be a JSON object or array'],
    ['42', 'Request body must be a JSON object or array'],
    ['{"text":', 'Request body is not valid JSON'],
  ])('says why the body %s is refused', async (rawBody, message) => {
    const [status, body] = await post('/a', rawBody);
    expect([status, body['code'], body['message']]).toEqual([400, 'MALFORMED_BODY', message]);
  });

  it('reads a body that names no media type as JSON (as FastAPI did)', async () => {
    const before = controller.received.length;
    const response = await fetch(`${base}/a`, {
      method: 'POST',
      body: new TextEncoder().encode('{"text":"untyped"}'),
    });
    expect(response.status).toBe(201);
    expect(controller.received.slice(before)).toEqual([{ text: 'untyped' }]);
  });

  it.each([
    ['text/plain', '{"text":"x"}'],
    ['application/x-www-form-urlencoded', 'text=x'],
    [
      'multipart/form-data; boundary=b',
      '--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nx\r\n--b--\r\n',
    ],
  ])('refuses a %s body where JSON is read: 415, the handler never runs', async (type, rawBody) => {
    const before = controller.received.length;
    const response = await fetch(`${base}/a`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: rawBody,
    });
    expect([response.status, ((await response.json()) as { code: string }).code]).toEqual([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
    expect(controller.received).toHaveLength(before);
  });

  it('takes the media types a route declares instead of JSON, and an empty body of any type', async () => {
    const put = (type: string, body: string) =>
      fetch(`${base}/latest`, { method: 'PUT', headers: { 'content-type': type }, body });
    expect((await put('text/csv; charset=utf-8', 'a,b')).status).toBe(200);
    expect((await put('application/json', '{}')).status).toBe(415);
    expect((await put('text/plain', '')).status).toBe(200);
  });

  it('reads one uploaded file of a multipart route, and refuses anything else with a clear code', async () => {
    const upload = async (body: FormData | string, type?: string) => {
      const response = await fetch(`${base}/upload/file`, {
        method: 'POST',
        ...(type ? { headers: { 'content-type': type } } : {}),
        body,
      });
      const answer = (await response.json()) as { bytes?: number; code?: string };
      return [response.status, answer.code ?? answer.bytes];
    };
    const form = (...parts: [string, string][]) => {
      const data = new FormData();
      for (const [name, content] of parts) data.append(name, new Blob([content]), 'f.bin');
      return data;
    };
    const before = controller.received.length;
    expect(await upload(form(['file', 'sixteen bytes!!!']))).toEqual([201, 16]);
    expect(await upload(new FormData())).toEqual([201, null]);
    expect(controller.received.slice(before)).toEqual(['sixteen bytes!!!', null]);
    expect(await upload(form(['file', 'x'.repeat(17)]))).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(await upload(form(['file', 'a'], ['file', 'b']))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await upload(form(['other', 'a']))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await upload('--b\r\nbroken\r\n\r\nx', 'multipart/form-data; boundary=b')).toEqual([
      400,
      'MALFORMED_BODY',
    ]);
    expect(await upload('{}', 'application/json')).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(controller.received).toHaveLength(before + 2);
  });
});
