import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DestinationsAdminController } from './destinations.admin.controller';
import { DestinationsService } from './destinations.service';
import { AttractionEntity } from './entities/attraction.entity';
import { HotelEntity } from './entities/hotel.entity';

@Module({
  imports: [TypeOrmModule.forFeature([HotelEntity, AttractionEntity])],
  controllers: [DestinationsAdminController],
  providers: [DestinationsService],
  exports: [DestinationsService],
})
export class DestinationsModule {}
