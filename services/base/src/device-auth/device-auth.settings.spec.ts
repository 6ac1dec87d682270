import { ConfigValidationError } from '@platform/config';
import { loadDeviceAuthSettings } from './device-auth.settings';

describe('loadDeviceAuthSettings', () => {
  it('defaults to the lib lifetimes and the documented limits', () => {
    expect(loadDeviceAuthSettings({})).toEqual({
      challengeTtlSeconds: 30,
      sessionIdleSeconds: 3600,
      sessionAbsoluteSeconds: 2_592_000,
      maxSessionsPerDevice: 8,
      loginPerDevicePerMinute: 10,
      loginPerAddressPerMinute: 120,
      registerPerMinute: 5,
    });
  });

  it('reads the DEVICE_* variables', () => {
    expect(
      loadDeviceAuthSettings({
        DEVICE_CHALLENGE_TTL_SECONDS: '3',
        DEVICE_LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
        DEVICE_SESSION_IDLE_SECONDS: '7200',
        DEVICE_SESSION_ABSOLUTE_SECONDS: '3600',
      }),
    ).toMatchObject({
      challengeTtlSeconds: 3,
      loginPerDevicePerMinute: 1_000_000,
      // never longer than the absolute lifetime
      sessionIdleSeconds: 3600,
      sessionAbsoluteSeconds: 3600,
    });
  });

  it('refuses bad values at boot, naming each variable and never echoing values', () => {
    let error: unknown;
    try {
      loadDeviceAuthSettings({
        DEVICE_CHALLENGE_TTL_SECONDS: '0',
        DEVICE_MAX_SESSIONS_PER_DEVICE: 'many',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const { problems, message } = error as ConfigValidationError;
    expect(problems).toEqual([
      expect.stringMatching(/^DEVICE_CHALLENGE_TTL_SECONDS: /),
      expect.stringMatching(/^DEVICE_MAX_SESSIONS_PER_DEVICE: /),
    ]);
    expect(message).not.toContain('many');
  });
});
