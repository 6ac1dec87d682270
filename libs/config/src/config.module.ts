import { type DynamicModule, Global, Module } from '@nestjs/common';
import { PlatformConfig } from './platform-config';

/** Makes the already-validated configuration injectable everywhere (validation happens in main). */
@Global()
@Module({})
export class PlatformConfigModule {
  static forRoot(
    config: PlatformConfig,
    extraProviders: { provide: symbol | string; useValue: unknown }[] = [],
  ): DynamicModule {
    const providers = [{ provide: PlatformConfig, useValue: config }, ...extraProviders];
    return { module: PlatformConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
