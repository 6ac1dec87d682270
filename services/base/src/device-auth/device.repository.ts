import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type DeviceKind, type DevicePublicKey, DevicePublicKeyCache } from '@platform/device-auth';
import { Repository } from 'typeorm';
import { isForeignKeyViolation, preparedRows, violatedUniqueConstraint } from '@platform/database';
import { type PageWindow } from '@platform/http';
import { type ActiveDevice, type DeviceDirectory } from './device-directory';
import { DeviceEntity } from './entities/device.entity';
import { deviceAuthErrors } from './device-auth.errors';

export interface KeyRegistration {
  kind: DeviceKind;
  /** Row id for a new row: the store/locker id itself, a fresh UUID for a robot. */
  newId: string;
  externalId: string;
  displayName: string | null;
  key: DevicePublicKey;
  engineerId: string;
}

export interface RegisteredDevice {
  device: DeviceEntity;
  /** False for a first registration, true when an existing device's key was replaced. */
  replaced: boolean;
}

interface DeviceRow {
  id: string;
  kind: DeviceKind;
  external_id: string;
  display_name: string | null;
  public_key_spki: string;
  key_algorithm: DeviceEntity['keyAlgorithm'];
  key_fingerprint: string;
  disabled_at: Date | null;
  key_rotated_at: Date | null;
  registered_by_engineer_id: string | null;
  created_at: Date;
  inserted?: boolean;
}

function entityOf(row: DeviceRow): DeviceEntity {
  return Object.assign(new DeviceEntity(), {
    id: row.id,
    kind: row.kind,
    externalId: row.external_id,
    displayName: row.display_name,
    publicKeySpki: row.public_key_spki,
    keyAlgorithm: row.key_algorithm,
    keyFingerprint: row.key_fingerprint,
    disabledAt: row.disabled_at,
    keyRotatedAt: row.key_rotated_at,
    registeredByEngineerId: row.registered_by_engineer_id,
    createdAt: row.created_at,
  });
}

const COLUMNS = `id, kind, external_id, display_name, public_key_spki, key_algorithm,
  key_fingerprint, disabled_at, key_rotated_at, registered_by_engineer_id, created_at`;

/** The first seven columns of a new row (id .. key_fingerprint), in the INSERTs' order. */
function rowValuesOf(input: Omit<KeyRegistration, 'engineerId'>): unknown[] {
  const { key } = input;
  return [
    input.newId,
    input.kind,
    input.externalId,
    input.displayName,
    key.spkiPem,
    key.algorithm,
    key.fingerprint,
  ];
}

/** The `base.devices` table. */
@Injectable()
export class DeviceRepository implements DeviceDirectory {
  private readonly keys = new DevicePublicKeyCache();

  constructor(@InjectRepository(DeviceEntity) private readonly devices: Repository<DeviceEntity>) {}

  /**
   * Every login reads the device once: one prepared statement for the two columns it needs,
   * without building an entity (the query builder cost more than the query itself).
   */
  async findActive(kind: DeviceKind, id: string): Promise<ActiveDevice | null> {
    const rows = await preparedRows<Pick<DeviceRow, 'public_key_spki' | 'key_fingerprint'>>(
      this.devices.manager.connection,
      `SELECT public_key_spki, key_fingerprint FROM base.devices
        WHERE id = $1 AND kind = $2 AND disabled_at IS NULL`,
      [id, kind],
    );
    const row = rows[0];
    if (!row) return null;
    return { id, kind, key: this.keys.parse(row.key_fingerprint, row.public_key_spki) };
  }

  findById(id: string): Promise<DeviceEntity | null> {
    return this.devices.findOneBy({ id });
  }

  /**
   * Inserts the device, or, when one of this kind with this external id exists, keeps its row
   * (and id) and replaces its key and name: one statement, so concurrent registrations of the
   * same device cannot create two rows.
   */
  async register(input: KeyRegistration): Promise<RegisteredDevice> {
    try {
      const rows = (await this.devices.query(
        `INSERT INTO base.devices (id, kind, external_id, display_name, public_key_spki,
           key_algorithm, key_fingerprint, registered_by_engineer_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (kind, external_id) DO UPDATE SET
           display_name = EXCLUDED.display_name,
           public_key_spki = EXCLUDED.public_key_spki,
           key_algorithm = EXCLUDED.key_algorithm,
           key_fingerprint = EXCLUDED.key_fingerprint,
           registered_by_engineer_id = EXCLUDED.registered_by_engineer_id,
           key_rotated_at = now()
         RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
        [...rowValuesOf(input), input.engineerId],
      )) as DeviceRow[];
      const [row] = rows;
      if (!row) throw new Error('INSERT ... RETURNING returned no row');
      return { device: entityOf(row), replaced: row.inserted !== true };
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'devices_pkey') {
        throw deviceAuthErrors.idTaken(input.newId);
      }
      if (isForeignKeyViolation(error)) {
        // The engineer was deleted while registering.
        throw deviceAuthErrors.invalidCredentials();
      }
      throw error;
    }
  }

  /**
   * Takes over a device of the system we replace under its own id (so the device, which keeps
   * that id, logs in as before): inserted as it is, or, when exactly this device (id, kind,
   * external id and key) is already here, left alone (`adopted: false`), so an import can run
   * again. Anything else holding the id or the external id is a 409. One INSERT ... ON CONFLICT
   * DO NOTHING: concurrent imports of one device insert one row.
   */
  async adopt(
    input: Omit<KeyRegistration, 'engineerId'>,
  ): Promise<{ device: DeviceEntity; adopted: boolean }> {
    const rows = (await this.devices.query(
      `INSERT INTO base.devices (id, kind, external_id, display_name, public_key_spki,
         key_algorithm, key_fingerprint)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING
       RETURNING ${COLUMNS}`,
      rowValuesOf(input),
    )) as DeviceRow[];
    const [row] = rows;
    if (row) return { device: entityOf(row), adopted: true };
    const existing = await this.findById(input.newId);
    const same =
      existing?.kind === input.kind &&
      existing.externalId === input.externalId &&
      existing.keyFingerprint === input.key.fingerprint;
    if (!existing || !same) throw deviceAuthErrors.adoptionConflict(input.newId);
    return { device: existing, adopted: false };
  }

  async replaceKey(id: string, key: DevicePublicKey): Promise<DeviceEntity | null> {
    const [rows] = (await this.devices.query(
      `UPDATE base.devices SET public_key_spki = $2, key_algorithm = $3, key_fingerprint = $4,
         key_rotated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, key.spkiPem, key.algorithm, key.fingerprint],
    )) as [DeviceRow[], number];
    return rows[0] ? entityOf(rows[0]) : null;
  }

  /** Disables (keeping the first disabling time) or enables a device. */
  async setDisabled(id: string, disabled: boolean): Promise<DeviceEntity | null> {
    const [rows] = (await this.devices.query(
      disabled
        ? `UPDATE base.devices SET disabled_at = COALESCE(disabled_at, now()) WHERE id = $1
           RETURNING ${COLUMNS}`
        : `UPDATE base.devices SET disabled_at = NULL WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    )) as [DeviceRow[], number];
    return rows[0] ? entityOf(rows[0]) : null;
  }

  /** Deletes the device (of `kind` when given); null when there was none. */
  async remove(id: string, kind?: DeviceKind): Promise<DeviceEntity | null> {
    const [rows] = (await this.devices.query(
      kind
        ? `DELETE FROM base.devices WHERE id = $1 AND kind = $2 RETURNING ${COLUMNS}`
        : `DELETE FROM base.devices WHERE id = $1 RETURNING ${COLUMNS}`,
      kind ? [id, kind] : [id],
    )) as [DeviceRow[], number];
    return rows[0] ? entityOf(rows[0]) : null;
  }

  /** A page of devices (of one kind when given), oldest first. */
  list(kind: DeviceKind | undefined, window: PageWindow): Promise<[DeviceEntity[], number]> {
    return this.devices.findAndCount({
      where: kind ? { kind } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: window.skip,
      take: window.take,
    });
  }
}
