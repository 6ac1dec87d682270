import { parseEnv, PlatformConfig, type PlatformEnv, platformEnvSchema } from '@platform/config';
import { z } from 'zod';
import {
  type DeviceAuthSettings,
  loadDeviceAuthSettings,
} from '../device-auth/device-auth.settings';

const baseEnvSchema = platformEnvSchema.extend({
  /** Key of the HMAC that stores engineers' RFID card keys; at least 32 characters. */
  AUTH_CARD_SECRET: z.string().min(32),
});

/** base's configuration: the platform's settings plus its own and device authentication's. */
export class BaseConfig extends PlatformConfig {
  readonly authCardSecret: string;

  constructor(
    env: PlatformEnv & z.infer<typeof baseEnvSchema>,
    readonly deviceAuth: Readonly<DeviceAuthSettings>,
  ) {
    super('base', env);
    this.authCardSecret = env.AUTH_CARD_SECRET;
  }
}

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): BaseConfig {
  return Object.freeze(
    new BaseConfig(parseEnv('base', baseEnvSchema, env), loadDeviceAuthSettings(env)),
  );
}
