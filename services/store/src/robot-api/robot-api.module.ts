import { Module } from '@nestjs/common';
import { PurchasesModule } from '../purchases/purchases.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { StoresModule } from '../stores/stores.module';
import { TasksModule } from '../tasks/tasks.module';
import { RobotController } from './robot.controller';

/** The robot kiosk's store API (`/robot/*`, robot sessions only). */
@Module({
  imports: [StoresModule, PurchasesModule, RecommendationsModule, TasksModule],
  controllers: [RobotController],
})
export class RobotApiModule {}
