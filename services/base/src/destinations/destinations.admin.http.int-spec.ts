import { setUpIntegrationHttp } from '@platform/testing/integration';
import { databaseDefinition } from '../database/database-definition';
import { baseHttp, baseRemotes } from '../testing/base-http-ports';
import { DestinationsModule } from './destinations.module';

const ID = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const place = { name: 'Astoria', description: 'Old hotel', logo_url: '/static/logos/hotels/1.png' };
const TABLES = ['base.hotels', 'base.attractions'];

/** The production DestinationsModule over HTTP, on a database of its own (integration tier). */
describe('destinations admin over HTTP', () => {
  const { http, tokens } = setUpIntegrationHttp(
    databaseDefinition,
    baseHttp([DestinationsModule], baseRemotes()),
    { admin: { roles: ['admin'] }, passenger: { roles: ['passenger'] } },
  );

  /** A hotel and an attraction at SPB, both with the id the routes name. */
  beforeEach(async () => {
    for (const table of TABLES) {
      await http.database.dataSource.query(`TRUNCATE ${table}`);
      await http.database.dataSource.query(
        `INSERT INTO ${table} (id, destination_id, name, description, logo_url)
         VALUES ($1, 'SPB', 'Hermitage', 'Seeded', '/static/logos/1.png')`,
        [ID],
      );
    }
  });

  it.each<[string, string, unknown?]>([
    ['GET', '/admin/destination/SPB/hotels', undefined],
    ['GET', '/admin/destination/SPB/attractions', undefined],
    ['POST', '/admin/destination/SPB/hotel', place],
    ['POST', '/admin/destination/SPB/attraction', place],
    ['DELETE', `/admin/destination_info/hotel/${ID}`, undefined],
    ['DELETE', `/admin/destination_info/attraction/${ID}`, undefined],
  ])('%s %s refuses no token (401) and a non-admin (403)', async (method, path, body) => {
    await http.unchanged(TABLES, async () => {
      expect((await http.call(method, path, { body }))[0]).toBe(401);
      expect((await http.call(method, path, { body, token: tokens.passenger }))[0]).toBe(403);
    });
  });

  it('creates with the seed shape, listed after the places before it', async () => {
    const [status, created] = await http.call('POST', '/admin/destination/SPB/hotel', {
      token: tokens.admin,
      body: place,
    });
    expect([status, created]).toEqual([200, { id: expect.any(String), ...place }]);
    expect(created['id']).not.toBe(ID);
    const [, hotels] = await http.call('GET', '/admin/destination/SPB/hotels', {
      token: tokens.admin,
    });
    expect(hotels).toMatchObject({ items: [{ id: ID }, created], total: 2 });
    const [, attractions] = await http.call('GET', '/admin/destination/SPB/attractions', {
      token: tokens.admin,
    });
    expect(attractions).toMatchObject({ items: [{ id: ID }], total: 1 });
  });

  it.each([
    ['hotel', 'HOTEL_NOT_FOUND'],
    ['attraction', 'ATTRACTION_NOT_FOUND'],
  ])('deletes a %s once; then it is a 404 %s', async (kind, code) => {
    const path = `/admin/destination_info/${kind}/${ID}`;
    expect(await http.call('DELETE', path, { token: tokens.admin })).toEqual([
      200,
      { status: 'OK' },
    ]);
    expect(
      (await http.call('GET', `/admin/destination/SPB/${kind}s`, { token: tokens.admin }))[1],
    ).toMatchObject({ items: [], total: 0 });
    expect((await http.call('DELETE', path, { token: tokens.admin }))[1].code).toBe(code);
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
    await http.unchanged(TABLES, async () => {
      expect((await http.call(method, path, { token: tokens.admin, body }))[0]).toBe(400);
    });
  });
});
