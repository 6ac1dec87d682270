import {
  createTestJwtIssuer,
  type HttpHarness,
  recorder,
  startHttpHarness,
} from '@platform/testing';
import { DestinationsAdminController } from './destinations.admin.controller';
import { DestinationsService } from './destinations.service';

const ID = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const place = { name: 'Astoria', description: 'Old hotel', logo_url: '/static/logos/hotels/1.png' };

describe('DestinationsAdminController over HTTP', () => {
  let http: HttpHarness;
  let destinations: DestinationsService & { calls: string[] };
  let admin: string;
  let passenger: string;

  beforeAll(async () => {
    const issuer = await createTestJwtIssuer();
    destinations = recorder<DestinationsService>({
      list: { items: [], total: 0, page: 1, size: 50, pages: 0 },
      create: { id: ID, ...place },
      remove: undefined,
    });
    http = await startHttpHarness({
      apiPrefix: 'base_api',
      controllers: [DestinationsAdminController],
      providers: [{ provide: DestinationsService, useValue: destinations }],
      keycloak: issuer,
    });
    [admin, passenger] = await Promise.all([
      issuer.sign({ roles: ['admin'] }),
      issuer.sign({ roles: ['passenger'] }),
    ]);
  });

  afterAll(() => http.close());
  beforeEach(() => destinations.calls.splice(0));

  it.each<[string, string, unknown?]>([
    ['GET', '/admin/destination/SPB/hotels', undefined],
    ['GET', '/admin/destination/SPB/attractions', undefined],
    ['POST', '/admin/destination/SPB/hotel', place],
    ['POST', '/admin/destination/SPB/attraction', place],
    ['DELETE', `/admin/destination_info/hotel/${ID}`, undefined],
    ['DELETE', `/admin/destination_info/attraction/${ID}`, undefined],
  ])('%s %s refuses no token (401) and a non-admin (403)', async (method, path, body) => {
    expect((await http.call(method, path, { body }))[0]).toBe(401);
    expect((await http.call(method, path, { body, token: passenger }))[0]).toBe(403);
    expect(destinations.calls).toEqual([]);
  });

  it('creates with the seed shape', async () => {
    expect(
      await http.call('POST', '/admin/destination/SPB/hotel', { token: admin, body: place }),
    ).toEqual([200, { id: ID, ...place }]);
  });

  it.each<[string, string, unknown?]>([
    ['GET', `/admin/destination/${'x'.repeat(61)}/hotels`, undefined],
    ['GET', '/admin/destination/SPB/hotels?size=0', undefined],
    ['POST', '/admin/destination/SPB/hotel', { ...place, name: '' }],
    ['POST', '/admin/destination/SPB/hotel', { ...place, name: 'x'.repeat(257) }],
    ['POST', '/admin/destination/SPB/hotel', { ...place, description: 'x'.repeat(1025) }],
    ['POST', '/admin/destination/SPB/attraction', { ...place, logo_url: 'x'.repeat(257) }],
    ['POST', '/admin/destination/SPB/attraction', { name: 'A' }],
    ['POST', '/admin/destination/SPB/attraction', { ...place, rating: 5 }],
    ['DELETE', '/admin/destination_info/hotel/1', undefined],
    ['DELETE', '/admin/destination_info/attraction/abc', undefined],
  ])('%s %s with bad input is a 400 and changes nothing', async (method, path, body) => {
    expect((await http.call(method, path, { token: admin, body }))[0]).toBe(400);
    expect(destinations.calls).toEqual([]);
  });
});
