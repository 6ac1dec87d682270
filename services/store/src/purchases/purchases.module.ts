import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BaseUsersClient } from '../common/remote/base-users.client';
import { TaskEventsModule } from '../tasks/task-events.module';
import { PurchaseLineEntity } from './entities/purchase-line.entity';
import { PurchaseEntity } from './entities/purchase.entity';
import { PurchaseRepository } from './purchase.repository';
import { PurchaseViews } from './purchase-views';
import { PurchasesService } from './purchases.service';
import { PurchasesTerminalController } from './purchases.terminal.controller';

/** Purchases: the stock-safe, idempotent write; PurchasesService for the robot API. */
@Module({
  imports: [TypeOrmModule.forFeature([PurchaseEntity, PurchaseLineEntity]), TaskEventsModule],
  controllers: [PurchasesTerminalController],
  providers: [PurchasesService, PurchaseRepository, PurchaseViews, BaseUsersClient],
  exports: [PurchasesService, PurchaseViews, BaseUsersClient],
})
export class PurchasesModule {}
