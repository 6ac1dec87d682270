import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The bytes of one received frame and of the reply sent to it, kept RAW_FRAME_RETENTION_DAYS.
 * Partitioned by `received_at`; ids come from `telematics.raw_frames_id_seq` (the column's
 * default, drawn as the writer's COPY inserts), so the key (received_at, id) orders frames as they
 * arrived.
 */
@Entity({ schema: 'telematics', name: 'raw_frames' })
@Index('raw_frames_device_id_received_at_idx', ['deviceId', 'receivedAt', 'id'])
export class RawFrameEntity {
  @PrimaryColumn({
    name: 'received_at',
    type: 'timestamptz',
    primaryKeyConstraintName: 'raw_frames_pkey',
  })
  receivedAt!: Date;

  @PrimaryGeneratedColumn('increment', {
    name: 'id',
    type: 'bigint',
    primaryKeyConstraintName: 'raw_frames_pkey',
  })
  id!: string;

  /** null for frames before the device said who it is. */
  @Column({ name: 'device_id', type: 'uuid', nullable: true })
  deviceId!: string | null;

  /** `ntcb-handshake`, `ntcb-flex`, `flex-A`, ..., `ping`, `text-position`, `damaged`. */
  @Column({ name: 'frame_type', type: 'varchar', length: 16 })
  frameType!: string;

  @Column({ name: 'payload', type: 'bytea' })
  payload!: Buffer;

  @Column({ name: 'reply', type: 'bytea', nullable: true })
  reply!: Buffer | null;
}
