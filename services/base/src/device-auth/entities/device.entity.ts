import { type DeviceKeyAlgorithm, type DeviceKind } from '@platform/device-auth';
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
import { EngineerEntity } from '../../engineers/entities/engineer.entity';

/**
 * A device that logs in with a key pair: a robot, a store terminal or a locker controller
 * (migration DeviceIdentity). A store's or locker's device id is its store or locker id (as the
 * seed's `active_stores.id`); a robot's is generated at its first registration and kept when it
 * is registered again.
 */
@Entity({ schema: 'base', name: 'devices' })
// Constraint and index names as migration DeviceIdentity creates them: the drift check
// (database/schema-drift.int-spec.ts) holds the entities and the migrations together.
@Check('devices_kind_check', `kind IN ('robot', 'store', 'locker')`)
@Check('devices_external_id_not_blank', 'length(btrim(external_id)) > 0')
@Check('devices_id_is_external_id', `kind = 'robot' OR external_id = id::text`)
@Check('devices_key_algorithm_check', `key_algorithm IN ('rsa', 'ed25519')`)
@Check('devices_key_fingerprint_check', `key_fingerprint ~ '^[A-Za-z0-9_-]{43}$'`)
@Check(
  'devices_public_key_spki_check',
  `public_key_spki LIKE '-----BEGIN PUBLIC KEY-----%' AND length(public_key_spki) <= 4096`,
)
@Unique('devices_kind_external_id_key', ['kind', 'externalId'])
@Index('devices_kind_created_at_idx', ['kind', 'createdAt', 'id'])
@Index('devices_created_at_idx', ['createdAt', 'id'])
@Index('devices_registered_by_engineer_id_idx', ['registeredByEngineerId'])
export class DeviceEntity {
  // The column defaults to gen_random_uuid() (migration DeviceIdentity), though registration
  // always gives the id: the store's or locker's own, a fresh UUID for a robot.
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'kind', type: 'varchar', length: 16 })
  kind!: DeviceKind;

  /** robot_model_id (serial), store_id or locker_id; unique per kind. */
  @Column({ name: 'external_id', type: 'varchar', length: 60 })
  externalId!: string;

  /** robot_model_name; null for stores and lockers. */
  @Column({ name: 'display_name', type: 'varchar', length: 60, nullable: true })
  displayName!: string | null;

  /** Canonical SPKI PEM as `parseDevicePublicKey` re-encodes it. */
  @Column({ name: 'public_key_spki', type: 'text' })
  publicKeySpki!: string;

  @Column({ name: 'key_algorithm', type: 'varchar', length: 16 })
  keyAlgorithm!: DeviceKeyAlgorithm;

  /** SHA-256 of the DER SPKI, base64url (43 characters). */
  @Column({ name: 'key_fingerprint', type: 'varchar', length: 43 })
  keyFingerprint!: string;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  /** Last time the key was replaced (re-registration or admin rotation); null if never. */
  @Column({ name: 'key_rotated_at', type: 'timestamptz', nullable: true })
  keyRotatedAt!: Date | null;

  @Column({ name: 'registered_by_engineer_id', type: 'uuid', nullable: true })
  @ForeignKey(() => EngineerEntity, {
    name: 'devices_registered_by_engineer_id_fkey',
    onDelete: 'SET NULL',
  })
  registeredByEngineerId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
