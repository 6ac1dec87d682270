import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RemoteServicesModule } from '../common/remote/remote-services.module';
import { TrainStoreBindingEntity } from './entities/train-store-binding.entity';
import { TrainStoresAdminController } from './train-stores.admin.controller';
import { TrainStoresService } from './train-stores.service';

@Module({
  imports: [TypeOrmModule.forFeature([TrainStoreBindingEntity]), RemoteServicesModule],
  controllers: [TrainStoresAdminController],
  providers: [TrainStoresService],
  exports: [TrainStoresService],
})
export class TrainStoresModule {}
