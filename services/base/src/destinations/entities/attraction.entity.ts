import { Entity } from 'typeorm';
import { DestinationPlaceEntity } from './destination-place';

@Entity({ schema: 'base', name: 'attractions' })
export class AttractionEntity extends DestinationPlaceEntity {}
