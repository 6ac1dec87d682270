import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngineerCredentialsService } from './engineer-credentials.service';
import { EngineersAdminController } from './engineers.admin.controller';
import { CardKeyHasher } from './auth-card';
import { EngineersService } from './engineers.service';
import { AuthCardEntity } from './entities/auth-card.entity';
import { EngineerEntity } from './entities/engineer.entity';
import { PasswordHasher } from './password-hasher';

/**
 * Engineers, their privileges and RFID cards. Exports EngineerCredentialsService for device
 * provisioning (device-auth) and EngineersService for the robot's admin access.
 */
@Module({
  imports: [TypeOrmModule.forFeature([EngineerEntity, AuthCardEntity])],
  controllers: [EngineersAdminController],
  providers: [EngineersService, EngineerCredentialsService, PasswordHasher, CardKeyHasher],
  exports: [EngineersService, EngineerCredentialsService],
})
export class EngineersModule {}
