import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CREDENTIAL_VERIFIERS } from '@platform/auth';
import { ApiKeyEntity } from '../storage/entities/api-key.entity';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';

/**
 * API keys and their admin routes. Global, because the platform's guard (in AuthModule) resolves
 * `CREDENTIAL_VERIFIERS` from its own scope: only a global module's exports reach it.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity])],
  controllers: [ApiKeysController],
  providers: [
    ApiKeysService,
    {
      provide: CREDENTIAL_VERIFIERS,
      inject: [ApiKeysService],
      useFactory: (keys: ApiKeysService) => [keys],
    },
  ],
  exports: [CREDENTIAL_VERIFIERS],
})
export class ApiKeysModule {}
