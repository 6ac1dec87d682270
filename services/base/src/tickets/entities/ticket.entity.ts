import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A seat on a train's departure, for one passenger; opens a wagon door once. */
@Entity({ schema: 'base', name: 'tickets' })
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
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
