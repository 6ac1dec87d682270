import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DEVICE_SESSION_VERIFIER } from '@platform/auth';
import { RateLimitModule } from '@platform/rate-limit';
import { RemoteServicesModule } from '../common/remote/remote-services.module';
import { EngineersModule } from '../engineers/engineers.module';
import { DeviceAdminService } from './device-admin.service';
import { DeviceAuthController } from './device-auth.controller';
import { DEVICE_AUTH_SETTINGS, type DeviceAuthSettings } from './device-auth.settings';
import { DEVICE_AUTH_STORE, RedisDeviceAuthStore } from './device-auth.store';
import { DEVICE_DIRECTORY } from './device-directory';
import { DeviceLoginService } from './device-login.service';
import { DeviceRegistrationService } from './device-registration.service';
import { DeviceRepository } from './device.repository';
import { DEVICE_AUTH_CLOCK, DeviceSessionsService } from './device-sessions.service';
import { DevicesAdminController } from './devices.admin.controller';
import { DeviceEntity } from './entities/device.entity';
import { DeviceAuthRateLimiter } from './rate-limiter';

/**
 * Device identity: provisioning, login, sessions, device back office. Global, because the
 * platform's auth guard (registered by the global AuthModule) resolves DEVICE_SESSION_VERIFIER
 * from the modules it can see: a global module's exports are visible to every module.
 */
@Global()
@Module({})
export class DeviceAuthModule {
  /** `settings` come from base's config (DEVICE_* variables, validated at boot). */
  static forRoot(settings: Readonly<DeviceAuthSettings>): DynamicModule {
    return {
      module: DeviceAuthModule,
      global: true,
      imports: [
        TypeOrmModule.forFeature([DeviceEntity]),
        EngineersModule,
        RemoteServicesModule,
        RateLimitModule,
      ],
      controllers: [DeviceAuthController, DevicesAdminController],
      providers: [
        { provide: DEVICE_AUTH_SETTINGS, useValue: settings },
        { provide: DEVICE_AUTH_CLOCK, useValue: Date.now },
        { provide: DEVICE_AUTH_STORE, useClass: RedisDeviceAuthStore },
        DeviceRepository,
        { provide: DEVICE_DIRECTORY, useExisting: DeviceRepository },
        DeviceSessionsService,
        { provide: DEVICE_SESSION_VERIFIER, useExisting: DeviceSessionsService },
        DeviceAuthRateLimiter,
        DeviceLoginService,
        DeviceRegistrationService,
        DeviceAdminService,
      ],
      exports: [DEVICE_SESSION_VERIFIER, DeviceSessionsService],
    };
  }
}
