import { Entity } from 'typeorm';
import { DestinationPlaceEntity } from './destination-place';

@Entity({ schema: 'base', name: 'hotels' })
export class HotelEntity extends DestinationPlaceEntity {}
