import { Column, Entity, ForeignKey, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DeviceEntity } from './device.entity';

/** An alarm record (`~T`, `~X`) or a text-format event; a resent one is stored once. */
@Entity({ schema: 'telematics', name: 'events' })
@Unique('events_dedupe_key', ['deviceId', 'eventTime', 'eventIndex', 'eventType'])
export class EventEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'events_pkey',
  })
  id!: string;

  @Column({ name: 'device_id', type: 'uuid' })
  @ForeignKey(() => DeviceEntity, { name: 'events_device_id_fkey', onDelete: 'CASCADE' })
  deviceId!: string;

  @Column({ name: 'event_time', type: 'timestamptz' })
  eventTime!: Date;

  /** The alarm's event index; -1 for text events. */
  @Column({ name: 'event_index', type: 'bigint' })
  eventIndex!: string;

  /** `alarm` (`~T`), `extra-alarm` (`~X`), or the text frame's event type. */
  @Column({ name: 'event_type', type: 'varchar', length: 32 })
  eventType!: string;

  @Column({ name: 'event_code', type: 'integer', nullable: true })
  eventCode!: number | null;

  @Column({ name: 'description', type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
