import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobsModule } from '@platform/jobs';
import { RemoteServicesModule } from '../common/remote/remote-services.module';
import { UserEntity } from './entities/user.entity';
import { FACE_DELETION_QUEUE, FaceDeletionJobs } from './face-deletion.jobs';
import { UsersAdminController } from './users.admin.controller';
import { UsersRpcController } from './users.rpc.controller';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity]),
    RemoteServicesModule,
    JobsModule.forRoot({ queues: [FACE_DELETION_QUEUE] }),
  ],
  controllers: [UsersAdminController, UsersRpcController],
  providers: [UsersService, FaceDeletionJobs],
  exports: [UsersService],
})
export class UsersModule {}
