import { AttractionEntity } from '../destinations/entities/attraction.entity';
import { HotelEntity } from '../destinations/entities/hotel.entity';
import { DeviceEntity } from '../device-auth/entities/device.entity';
import { AuthCardEntity } from '../engineers/entities/auth-card.entity';
import { EngineerEntity } from '../engineers/entities/engineer.entity';
import { TicketEntity } from '../tickets/entities/ticket.entity';
import { TrainStoreBindingEntity } from '../train-stores/entities/train-store-binding.entity';
import { UserEntity } from '../users/entities/user.entity';
import { migrations } from './migrations';

/** The schema this service owns, and the classes TypeORM maps into it. */
export const databaseDefinition = {
  schema: 'base',
  entities: [
    UserEntity,
    EngineerEntity,
    AuthCardEntity,
    TicketEntity,
    HotelEntity,
    AttractionEntity,
    TrainStoreBindingEntity,
    DeviceEntity,
  ],
  migrations,
};
