import { ApiKeyEntity } from '../storage/entities/api-key.entity';
import { DeviceEntity } from '../storage/entities/device.entity';
import { EventEntity } from '../storage/entities/event.entity';
import { PositionEntity } from '../storage/entities/position.entity';
import { RawFrameEntity } from '../storage/entities/raw-frame.entity';
import { VehicleBusValueEntity } from '../storage/entities/vehicle-bus-value.entity';
import { migrations } from './migrations';

/**
 * The schema this service owns, and the classes TypeORM maps into it. The partitioned tables
 * (positions, vehicle_bus_values, raw_frames) are mapped as their parent table only; their
 * partitions are made and dropped by storage/partitions.ts, outside TypeORM.
 */
export const databaseDefinition = {
  schema: 'telematics',
  entities: [
    DeviceEntity,
    PositionEntity,
    VehicleBusValueEntity,
    RawFrameEntity,
    EventEntity,
    ApiKeyEntity,
  ],
  migrations,
};
