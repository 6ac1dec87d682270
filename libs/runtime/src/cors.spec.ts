import 'reflect-metadata';
import {
  Controller,
  Get,
  type INestApplication,
  Post,
  UnauthorizedException,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureHttp } from './bootstrap';
import { allowOrigins } from './cors';

const ALLOWED = 'https://app.example.com';

@Controller('things')
class ThingsController {
  @Get()
  list(): string[] {
    return [];
  }

  @Post()
  create(): never {
    throw new UnauthorizedException();
  }
}

async function appWith(origins: readonly string[]): Promise<[INestApplication, string]> {
  const moduleRef = await Test.createTestingModule({ controllers: [ThingsController] }).compile();
  const app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
  allowOrigins(app, origins);
  configureHttp(app, { apiPrefix: 'probe_api' });
  await app.listen(0, '127.0.0.1');
  return [app, `${await app.getUrl()}/probe_api/v1/things`];
}

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key',
    },
  });

describe('CORS_ALLOWED_ORIGINS', () => {
  describe('with an origin listed', () => {
    let app: INestApplication;
    let url: string;
    beforeAll(async () => ([app, url] = await appWith([ALLOWED])));
    afterAll(() => app.close());

    it('answers its preflight before routing (a literal path would be a 405), with what it may send', async () => {
      const response = await preflight(url, ALLOWED);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'Authorization,Content-Type,Idempotency-Key,X-Request-Id',
      );
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('lets its page read answers, errors included, and the headers a client needs', async () => {
      const refused = await fetch(url, { method: 'POST', headers: { Origin: ALLOWED } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(refused.headers.get('access-control-expose-headers')).toContain('Retry-After');
      expect(refused.headers.get('vary')).toContain('Origin');
    });

    it('gives any other origin no CORS header', async () => {
      for (const origin of ['https://evil.example.com', 'https://app.example.com.evil.io']) {
        const answer = await fetch(url, { headers: { Origin: origin } });
        expect(answer.headers.get('access-control-allow-origin')).toBeNull();
        const asked = await preflight(url, origin);
        expect(asked.headers.get('access-control-allow-origin')).toBeNull();
      }
    });
  });

  it('by default (none listed) adds no CORS header and routes OPTIONS as any method', async () => {
    const [app, url] = await appWith([]);
    try {
      const answer = await fetch(url, { headers: { Origin: ALLOWED } });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight(url, ALLOWED)).status).toBe(405);
    } finally {
      await app.close();
    }
  });
});
