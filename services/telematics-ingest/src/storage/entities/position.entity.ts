import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One telemetry record. The table is partitioned by `event_time` (one partition per UTC day plus
 * a default partition, see storage/partitions.ts); TypeORM maps the parent table, which is the
 * only one queries name, and never sees the partitions. The primary key is the dedupe key: a
 * resent record (same device, event time and black-box index) is stored once.
 */
@Entity({ schema: 'telematics', name: 'positions' })
export class PositionEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'positions_pkey' })
  deviceId!: string;

  /** The record's event time, else its fix time, else when the server received it. */
  @PrimaryColumn({
    name: 'event_time',
    type: 'timestamptz',
    primaryKeyConstraintName: 'positions_pkey',
  })
  eventTime!: Date;

  /** Black-box record number (FLEX field 1, the `~T`/`~X` index); -1 when the source has none. */
  @PrimaryColumn({
    name: 'record_index',
    type: 'bigint',
    primaryKeyConstraintName: 'positions_pkey',
  })
  recordIndex!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  /** `flex-A`, `flex-T`, `flex-C`, `flex-E`, `flex-X`, `ntcb-legacy` (`*>T`/`*>A`), `text`. */
  @Column({ name: 'source', type: 'varchar', length: 16 })
  source!: string;

  @Column({ name: 'event_code', type: 'integer', nullable: true })
  eventCode!: number | null;

  @Column({ name: 'fix_time', type: 'timestamptz', nullable: true })
  fixTime!: Date | null;

  @Column({ name: 'valid', type: 'boolean', nullable: true })
  valid!: boolean | null;

  @Column({ name: 'satellites', type: 'smallint', nullable: true })
  satellites!: number | null;

  @Column({ name: 'latitude', type: 'double precision', nullable: true })
  latitude!: number | null;

  @Column({ name: 'longitude', type: 'double precision', nullable: true })
  longitude!: number | null;

  @Column({ name: 'altitude_m', type: 'real', nullable: true })
  altitudeM!: number | null;

  @Column({ name: 'speed_kmh', type: 'real', nullable: true })
  speedKmh!: number | null;

  @Column({ name: 'course', type: 'smallint', nullable: true })
  course!: number | null;

  @Column({ name: 'odometer_km', type: 'double precision', nullable: true })
  odometerKm!: number | null;

  @Column({ name: 'hdop', type: 'real', nullable: true })
  hdop!: number | null;

  @Column({ name: 'gsm_level', type: 'smallint', nullable: true })
  gsmLevel!: number | null;

  @Column({ name: 'device_status', type: 'smallint', nullable: true })
  deviceStatus!: number | null;

  @Column({ name: 'main_power_v', type: 'real', nullable: true })
  mainPowerV!: number | null;

  @Column({ name: 'backup_battery_v', type: 'real', nullable: true })
  backupBatteryV!: number | null;

  @Column({ name: 'digital_inputs', type: 'integer', nullable: true })
  digitalInputs!: number | null;

  @Column({ name: 'digital_outputs', type: 'integer', nullable: true })
  digitalOutputs!: number | null;
}
