import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const DEVICE_PROTOCOLS = ['ntcb-flex', 'text'] as const;
export type DeviceProtocol = (typeof DEVICE_PROTOCOLS)[number];
export const CONNECTION_STATES = ['online', 'offline'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** A tracker, known by the identifier it sends (the IMEI of `*>S:` or of the text frames). */
@Entity({ schema: 'telematics', name: 'devices' })
// Constraint and index names as migration TelematicsDomain creates them (drift check).
@Unique('devices_imei_key', ['imei'])
@Check('devices_protocol_check', `protocol IN ('ntcb-flex', 'text')`)
@Check('devices_connection_state_check', `connection_state IN ('online', 'offline')`)
@Index('devices_last_seen_at_idx', ['lastSeenAt', 'id'])
export class DeviceEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'devices_pkey' })
  id!: string;

  @Column({ name: 'imei', type: 'varchar', length: 32 })
  imei!: string;

  @Column({ name: 'protocol', type: 'varchar', length: 16 })
  protocol!: DeviceProtocol;

  /** IDs of the NTCB header (the device's configured object id). */
  @Column({ name: 'ntcb_device_id', type: 'bigint', nullable: true })
  ntcbDeviceId!: string | null;

  @Column({ name: 'flex_protocol_version', type: 'smallint', nullable: true })
  flexProtocolVersion!: number | null;

  @Column({ name: 'flex_struct_version', type: 'smallint', nullable: true })
  flexStructVersion!: number | null;

  /** The FLEX fields the negotiated bit mask enables (1-based field numbers). */
  @Column({ name: 'flex_fields', type: 'smallint', array: true, nullable: true })
  flexFields!: number[] | null;

  @Column({ name: 'flex_record_length', type: 'integer', nullable: true })
  flexRecordLength!: number | null;

  @Column({ name: 'first_seen_at', type: 'timestamptz', default: () => 'now()' })
  firstSeenAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' })
  lastSeenAt!: Date;

  @Column({ name: 'connection_state', type: 'varchar', length: 16, default: 'offline' })
  connectionState!: ConnectionState;

  @Column({ name: 'connected_at', type: 'timestamptz', nullable: true })
  connectedAt!: Date | null;

  @Column({ name: 'disconnected_at', type: 'timestamptz', nullable: true })
  disconnectedAt!: Date | null;

  @Column({ name: 'remote_address', type: 'varchar', length: 64, nullable: true })
  remoteAddress!: string | null;
}
