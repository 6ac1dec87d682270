import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StoresModule } from '../stores/stores.module';
import { ItemEntity } from './entities/item.entity';
import { ItemsService } from './items.service';
import { ItemsTerminalController } from './items.terminal.controller';

/** A store terminal's items (`/store/item*`). */
@Module({
  imports: [TypeOrmModule.forFeature([ItemEntity]), StoresModule],
  controllers: [ItemsTerminalController],
  providers: [ItemsService],
})
export class ItemsModule {}
