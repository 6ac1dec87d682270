import { type DeviceKeyAlgorithm, type DeviceKind } from '@platform/device-auth';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A device that logs in with a key pair: a robot, a store terminal or a locker controller
 * (migration DeviceIdentity). A store's or locker's device id is its store or locker id (as the
 * seed's `active_stores.id`); a robot's is generated at its first registration and kept when it
 * is registered again.
 */
@Entity({ schema: 'base', name: 'devices' })
export class DeviceEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' })
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
  registeredByEngineerId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
