import { loadPlatformConfig, type PlatformConfig } from '@platform/config';

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  return loadPlatformConfig('telematics-ingest', env);
}
