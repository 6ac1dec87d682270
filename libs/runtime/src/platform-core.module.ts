import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, DEVICE_SESSION_VERIFIER, RedisDeviceSessionVerifier } from '@platform/auth';
import { PlatformConfig, PlatformConfigModule } from '@platform/config';
import { type ServiceName } from '@platform/contracts';
import { postgresOptions, type ServiceDatabaseOptions } from '@platform/database';
import { MessagingModule } from '@platform/messaging';
import type Redis from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DEPENDENCY_PROBES, type DependencyProbe, httpProbe } from './dependency-probe';
import { HealthController } from './health.controller';
import { loggerParams } from './logging';
import { ReadinessService } from './readiness.service';
import { REDIS_CONNECTION, redisConnectionProvider } from './redis-connection';
import { statusRpcController } from './status.rpc-controller';

export interface PlatformCoreOptions<C extends PlatformConfig = PlatformConfig> {
  config: C;
  /** The service's own config class (e.g. FaceConfig): `config` is then injectable as it too. */
  configClass?: abstract new (...args: never[]) => C;
  /**
   * `@DeviceAuth` routes (store terminals, robots, locker controllers) verify device session
   * tokens from Redis, where base writes them. Base, which issues the sessions, wires its own.
   */
  deviceSessions?: boolean;
  database: Pick<ServiceDatabaseOptions, 'schema' | 'entities' | 'migrations'>;
  /** Dependencies beyond Postgres, Redis and Keycloak, e.g. ChromaDB for face. */
  extraProbes?: (config: PlatformConfig) => DependencyProbe[];
  /** Values other modules of the service need injected (service-specific settings). */
  providers?: Provider[];
}

/**
 * Everything a platform service stands on: validated config, JSON logs with request ids, its
 * Postgres schema, Redis, the RPC client, the deny-by-default auth guard, health and status.
 */
@Module({})
export class PlatformCoreModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CONNECTION) private readonly redis: Redis) {}

  static forRoot<C extends PlatformConfig>(options: PlatformCoreOptions<C>): DynamicModule {
    const { config } = options;
    const probes: Provider = {
      provide: DEPENDENCY_PROBES,
      inject: [DataSource, REDIS_CONNECTION],
      useFactory: (dataSource: DataSource, redis: Redis): DependencyProbe[] => [
        { name: 'postgres', check: async () => void (await dataSource.query('SELECT 1')) },
        { name: 'redis', check: async () => void (await redis.ping()) },
        httpProbe('keycloak', config.keycloak.jwksUrl),
        ...(options.extraProbes?.(config) ?? []),
      ],
    };
    const extraProviders: Provider[] = [
      ...(options.configClass ? [{ provide: options.configClass, useValue: config }] : []),
      ...(options.deviceSessions
        ? [
            {
              provide: DEVICE_SESSION_VERIFIER,
              inject: [REDIS_CONNECTION],
              useFactory: (redis: Redis) => new RedisDeviceSessionVerifier(redis),
            },
          ]
        : []),
      ...(options.providers ?? []),
    ];
    return {
      module: PlatformCoreModule,
      global: true,
      imports: [
        PlatformConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot(
          postgresOptions({
            ...options.database,
            database: config.database,
            applicationName: config.serviceName,
          }),
        ),
        MessagingModule,
        AuthModule,
      ],
      controllers: [HealthController, statusRpcController(config.serviceName as ServiceName)],
      providers: [redisConnectionProvider, probes, ReadinessService, ...extraProviders],
      exports: [REDIS_CONNECTION, ReadinessService, ...extraProviders],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
