import { Entity, Index } from 'typeorm';
import { DestinationPlaceEntity } from './destination-place';

@Entity({ schema: 'base', name: 'hotels' })
// As migration BaseDomain names it (the drift check holds the two together).
@Index('hotels_destination_idx', ['destinationId', 'createdAt', 'id'])
export class HotelEntity extends DestinationPlaceEntity {}
