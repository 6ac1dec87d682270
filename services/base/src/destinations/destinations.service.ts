import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { type CreatePlaceDto, type PlaceView } from './dto/destination.dto';
import { AttractionEntity } from './entities/attraction.entity';
import { type DestinationPlaceEntity } from './entities/destination-place';
import { HotelEntity } from './entities/hotel.entity';
import { destinationErrors } from './destination.errors';

export type PlaceKind = 'hotel' | 'attraction';

function toPlaceView(place: DestinationPlaceEntity): PlaceView {
  return {
    id: place.id,
    name: place.name,
    description: place.description,
    logo_url: place.logoUrl,
  };
}

/** Hotels and attractions at destinations, shown on the robot for the passenger's destination. */
@Injectable()
export class DestinationsService {
  constructor(
    @InjectRepository(HotelEntity) private readonly hotels: Repository<HotelEntity>,
    @InjectRepository(AttractionEntity) private readonly attractions: Repository<AttractionEntity>,
  ) {}

  async list(kind: PlaceKind, destinationId: string, window: PageWindow): Promise<Page<PlaceView>> {
    const [rows, total] = await this.repository(kind).findAndCount({
      where: { destinationId },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: window.skip,
      take: window.take,
    });
    return pageOf(rows.map(toPlaceView), total, window);
  }

  async create(kind: PlaceKind, destinationId: string, place: CreatePlaceDto): Promise<PlaceView> {
    const repository = this.repository(kind);
    const saved = await repository.save(
      repository.create({
        destinationId,
        name: place.name,
        description: place.description,
        logoUrl: place.logo_url,
      }),
    );
    return toPlaceView(saved);
  }

  async remove(kind: PlaceKind, id: string): Promise<void> {
    const result = await this.repository(kind).delete({ id });
    if (!result.affected) {
      throw destinationErrors.placeNotFound(kind);
    }
  }

  private repository(kind: PlaceKind): Repository<DestinationPlaceEntity> {
    return kind === 'hotel' ? this.hotels : this.attractions;
  }
}
