import { Controller, Get } from '@nestjs/common';
import { CurrentDevice, DeviceAuth, type DevicePrincipal, Roles } from '@platform/auth';
import { createTestJwtIssuer } from '@platform/auth/testing';
import { DomainError } from '@platform/errors';
import { failureOf } from './failure-of';
import { type HttpHarness, startHttpHarness } from './http-harness';

@Controller('probe')
class ProbeController {
  @Get('device')
  @DeviceAuth('locker')
  device(@CurrentDevice() device: DevicePrincipal): { id: string } {
    return { id: device.deviceId };
  }

  @Get('admin')
  @Roles('admin')
  admin(): { ok: true } {
    return { ok: true };
  }
}

describe('startHttpHarness', () => {
  let http: HttpHarness;
  let admin: string;

  beforeAll(async () => {
    const issuer = await createTestJwtIssuer();
    admin = await issuer.sign({ roles: ['admin'] });
    http = await startHttpHarness({
      apiPrefix: 'delivery_api',
      controllers: [ProbeController],
      keycloak: issuer,
      devices: {
        'locker-token': { deviceId: 'L-1', kind: 'locker', privileges: 0, sessionId: 's' },
      },
    });
  });

  afterAll(() => http.close());

  it("serves the routes under the service's prefix and version", async () => {
    expect(await http.call('GET', '/probe/admin', { token: admin })).toEqual([200, { ok: true }]);
  });

  it('accepts the device tokens it was given, and only those', async () => {
    expect(await http.call('GET', '/probe/device', { token: 'locker-token' })).toEqual([
      200,
      { id: 'L-1' },
    ]);
    const [status, body] = await http.call('GET', '/probe/device', { token: 'other' });
    expect([status, body.code]).toEqual([401, 'INVALID_SESSION']);
  });

  it('keeps the real guard: no token, no entry', async () => {
    const [status, body] = await http.call('GET', '/probe/admin');
    expect([status, body.code]).toEqual([401, 'MISSING_BEARER_TOKEN']);
  });
});

describe('failureOf', () => {
  it('hands back the domain error a promise rejects with', async () => {
    const error = new DomainError('not_found', 'PARCEL_NOT_FOUND', 'Parcel not found');
    expect(await failureOf(Promise.reject(error))).toBe(error);
  });

  it.each<[string, () => Promise<unknown>, RegExp]>([
    ['a resolved promise', () => Promise.resolve('fine'), /resolved/],
    ['another error', () => Promise.reject(new TypeError('bug')), /got TypeError: bug/],
  ])('fails for %s', async (_what, promise, message) => {
    await expect(failureOf(promise())).rejects.toThrow(message);
  });

  it('checks another error type when asked', async () => {
    const error = new RangeError('out');
    expect(await failureOf(Promise.reject(error), RangeError)).toBe(error);
  });
});
