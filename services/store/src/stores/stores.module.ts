import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ItemEntity } from '../items/entities/item.entity';
import { TaskEntity } from '../tasks/entities/task.entity';
import { StoreEntity } from './entities/store.entity';
import { StoresAdminController } from './stores.admin.controller';
import { StoresRpcController } from './stores.rpc.controller';
import { StoresService } from './stores.service';

/** Stores: back-office CRUD, the `store.stores.byIds` directory; StoresService for the robot API. */
@Module({
  imports: [TypeOrmModule.forFeature([StoreEntity, ItemEntity, TaskEntity])],
  controllers: [StoresAdminController, StoresRpcController],
  providers: [StoresService],
  exports: [StoresService],
})
export class StoresModule {}
