import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A named vehicle-bus value of a record (FLEX CAN fields, J1939 SPNs, OBD-II PIDs), with its
 * unit. Partitioned by `event_time` like `positions`, keyed like it plus the name.
 */
@Entity({ schema: 'telematics', name: 'vehicle_bus_values' })
export class VehicleBusValueEntity {
  @PrimaryColumn({
    name: 'device_id',
    type: 'uuid',
    primaryKeyConstraintName: 'vehicle_bus_values_pkey',
  })
  deviceId!: string;

  @PrimaryColumn({
    name: 'event_time',
    type: 'timestamptz',
    primaryKeyConstraintName: 'vehicle_bus_values_pkey',
  })
  eventTime!: Date;

  @PrimaryColumn({
    name: 'record_index',
    type: 'bigint',
    primaryKeyConstraintName: 'vehicle_bus_values_pkey',
  })
  recordIndex!: string;

  /** Canonical name shared by every source, e.g. engineSpeed, coolantTemperature. */
  @PrimaryColumn({
    name: 'name',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'vehicle_bus_values_pkey',
  })
  name!: string;

  /** null = the source says "not available". */
  @Column({ name: 'value', type: 'double precision', nullable: true })
  value!: number | null;

  @Column({ name: 'unit', type: 'varchar', length: 16, nullable: true })
  unit!: string | null;

  /** `flex:55`, `j1939:spn190`, `obd2:pid0C`. */
  @Column({ name: 'source', type: 'varchar', length: 32 })
  source!: string;
}
