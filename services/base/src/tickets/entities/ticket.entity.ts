import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { UserEntity } from '../../users/entities/user.entity';

/** A seat on a train's departure, for one passenger; opens a wagon door once. */
@Entity({ schema: 'base', name: 'tickets' })
// Constraint and index names as migration BaseDomain creates them: the drift check
// (database/schema-drift.int-spec.ts) holds the entities and the migrations together.
@Check('tickets_train_number_check', 'train_number > 0')
@Check('tickets_wagon_number_check', 'wagon_number > 0')
@Check('tickets_place_number_check', 'place_number > 0')
@Check('tickets_code_hash_check', `code_hash ~ '^[0-9a-f]{64}$'`)
@Check('tickets_used_by_check', 'used_by_device_id IS NULL OR used_at IS NOT NULL')
@Unique('tickets_code_hash_key', ['codeHash'])
@Unique('tickets_seat_key', ['trainNumber', 'wagonNumber', 'placeNumber', 'departureAt'])
@Index('tickets_train_departure_idx', ['trainNumber', 'departureAt'])
@Index('tickets_created_at_idx', ['createdAt', 'id'])
// (user_id, departure_at DESC): TypeORM cannot describe a descending column
@Index('tickets_user_departure_idx', { synchronize: false })
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  @ForeignKey(() => UserEntity, { name: 'tickets_user_id_fkey', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ name: 'train_number', type: 'integer' })
  trainNumber!: number;

  @Column({ name: 'wagon_number', type: 'integer' })
  wagonNumber!: number;

  @Column({ name: 'place_number', type: 'integer' })
  placeNumber!: number;

  /** Boarding station, e.g. MOSCOW. */
  @Column({ name: 'station_id', type: 'varchar', length: 60 })
  stationId!: string;

  @Column({ name: 'destination_id', type: 'varchar', length: 60 })
  destinationId!: string;

  /** The departure instant. */
  @Column({ name: 'departure_at', type: 'timestamptz' })
  departureAt!: Date;

  /** SHA-256 (hex) of the QR code; the code itself is shown once, at creation. */
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'used_by_device_id', type: 'uuid', nullable: true })
  usedByDeviceId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
