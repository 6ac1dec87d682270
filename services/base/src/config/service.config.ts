import { parseEnv, PlatformConfig, type PlatformEnv, platformEnvSchema } from '@platform/config';
import {
  type DeviceAuthSettings,
  loadDeviceAuthSettings,
} from '../device-auth/device-auth.settings';

/** base's configuration: the platform's settings plus device authentication's. */
export class BaseConfig extends PlatformConfig {
  constructor(
    env: PlatformEnv,
    readonly deviceAuth: Readonly<DeviceAuthSettings>,
  ) {
    super('base', env);
  }
}

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): BaseConfig {
  return Object.freeze(
    new BaseConfig(parseEnv('base', platformEnvSchema, env), loadDeviceAuthSettings(env)),
  );
}
