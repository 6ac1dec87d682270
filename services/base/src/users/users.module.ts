import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RemoteServicesModule } from '../common/remote/remote-services.module';
import { UserEntity } from './entities/user.entity';
import { UsersAdminController } from './users.admin.controller';
import { UsersRpcController } from './users.rpc.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), RemoteServicesModule],
  controllers: [UsersAdminController, UsersRpcController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
