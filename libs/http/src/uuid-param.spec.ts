import 'reflect-metadata';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HttpErrorFilter } from '@platform/errors';
import { OK, type OkView } from './ok';
import { plainToInstance } from 'class-transformer';
import { isUUID, validateSync } from 'class-validator';
import { IsCanonicalUuid, UUID_PATTERN, UuidParam, UuidQuery } from './uuid-param';

const ID = '0b3f6c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f';

@Controller()
class ProbeController {
  @Get('things/:thing_id')
  thing(@UuidParam('thing_id') id: string): { id: string } {
    return { id };
  }

  @Get('search')
  search(@UuidQuery('owner_id') ownerId: string): OkView & { ownerId: string } {
    return { ...OK, ownerId };
  }
}

describe('UUID parameters', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new HttpErrorFilter());
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(() => app.close());

  async function get(path: string): Promise<[number, Record<string, unknown>]> {
    const response = await fetch(`${url}${path}`);
    return [response.status, (await response.json()) as Record<string, unknown>];
  }

  it('passes a UUID through', async () => {
    expect(await get(`/things/${ID}`)).toEqual([200, { id: ID }]);
    expect(await get(`/search?owner_id=${ID}`)).toEqual([200, { status: 'OK', ownerId: ID }]);
  });

  it('hands the handler one spelling: lower case', async () => {
    const upper = ID.toUpperCase();
    expect(await get(`/things/${upper}`)).toEqual([200, { id: ID }]);
    expect(await get(`/search?owner_id=${upper}`)).toEqual([200, { status: 'OK', ownerId: ID }]);
  });

  it.each(['/things/123', `/things/${ID}x`, '/search?owner_id=nope', '/search'])(
    'answers %s with 400 INVALID_ID naming the parameter',
    async (path) => {
      const [status, body] = await get(path);
      expect([status, body['code']]).toEqual([400, 'INVALID_ID']);
      expect(body['message']).toMatch(/^(thing_id|owner_id) must be a UUID$/);
    },
  );
});

class OwnerBody {
  @IsCanonicalUuid()
  owner_id!: string;
}

describe('IsCanonicalUuid', () => {
  it('hands a body UUID over in lower case', () => {
    const body = plainToInstance(OwnerBody, { owner_id: ID.toUpperCase() });
    expect([validateSync(body), body.owner_id]).toEqual([[], ID]);
  });

  it.each([ID.slice(1), 42, null, ''])('refuses %p', (value) => {
    expect(validateSync(plainToInstance(OwnerBody, { owner_id: value }))).toHaveLength(1);
  });
});

describe('UUID_PATTERN', () => {
  it.each([
    ID,
    ID.toUpperCase(),
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-ffff-FFFF-ffff-FFFFFFFFFFFF',
    '0b3f6c1e-8d2a-0f5b-9c7e-1a2b3c4d5e6f',
    '0b3f6c1e-8d2a-9f5b-9c7e-1a2b3c4d5e6f',
    '0b3f6c1e-8d2a-4f5b-7c7e-1a2b3c4d5e6f',
    'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
    `${ID}0`,
    ID.replaceAll('-', ''),
  ])('documents what the validation decides for %s', (value) => {
    expect(new RegExp(UUID_PATTERN).test(value)).toBe(isUUID(value));
  });
});
