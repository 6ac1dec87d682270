import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PurchasesModule } from '../purchases/purchases.module';
import { StoresModule } from '../stores/stores.module';
import { TaskEntity } from './entities/task.entity';
import { TaskEventsModule } from './task-events.module';
import { TasksService } from './tasks.service';
import { TasksTerminalController } from './tasks.terminal.controller';

/** The kitchen queue (`/store/tasks`, `/store/task/{id}/ready`); TasksService for the robot API. */
@Module({
  imports: [
    TypeOrmModule.forFeature([TaskEntity]),
    PurchasesModule,
    StoresModule,
    TaskEventsModule,
  ],
  controllers: [TasksTerminalController],
  providers: [TasksService],
  exports: [TasksService],
})
export class TasksModule {}
