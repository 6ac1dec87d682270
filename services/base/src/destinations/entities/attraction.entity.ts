import { Entity, Index } from 'typeorm';
import { DestinationPlaceEntity } from './destination-place';

@Entity({ schema: 'base', name: 'attractions' })
// As migration BaseDomain names it (the drift check holds the two together).
@Index('attractions_destination_idx', ['destinationId', 'createdAt', 'id'])
export class AttractionEntity extends DestinationPlaceEntity {}
