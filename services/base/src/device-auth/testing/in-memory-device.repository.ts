import { type DeviceKind, parseDevicePublicKey } from '@platform/device-auth';
import { type PageWindow } from '@platform/http';
import { deviceAuthErrors } from '../device-auth.errors';
import { type ActiveDevice, type DeviceDirectory } from '../device-directory';
import {
  type DeviceRepository,
  type KeyRegistration,
  type RegisteredDevice,
} from '../device.repository';
import { DeviceEntity } from '../entities/device.entity';

type PublicPart<T> = { [K in keyof T]: T[K] };

/**
 * For specs: DeviceRepository over a Map, with the same upsert and lookup rules (held to them by
 * device-repository.contract.ts). Like rows read from Postgres, what it returns are copies: a
 * later change never alters a device a caller already holds.
 */
export class InMemoryDeviceRepository implements PublicPart<DeviceRepository>, DeviceDirectory {
  readonly rows = new Map<string, DeviceEntity>();
  private clock = Date.UTC(2026, 10, 1);

  private tick(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  private static copy(device: DeviceEntity): DeviceEntity {
    return Object.assign(new DeviceEntity(), device);
  }

  async findActive(kind: DeviceKind, id: string): Promise<ActiveDevice | null> {
    const device = this.rows.get(id);
    if (!device || device.kind !== kind || device.disabledAt !== null) return null;
    return { id, kind, key: parseDevicePublicKey(device.publicKeySpki) };
  }

  async findById(id: string): Promise<DeviceEntity | null> {
    const device = this.rows.get(id);
    return device ? InMemoryDeviceRepository.copy(device) : null;
  }

  async register(input: KeyRegistration): Promise<RegisteredDevice> {
    const existing = [...this.rows.values()].find(
      (d) => d.kind === input.kind && d.externalId === input.externalId,
    );
    if (existing) {
      Object.assign(existing, {
        displayName: input.displayName,
        publicKeySpki: input.key.spkiPem,
        keyAlgorithm: input.key.algorithm,
        keyFingerprint: input.key.fingerprint,
        registeredByEngineerId: input.engineerId,
        keyRotatedAt: this.tick(),
      });
      return { device: InMemoryDeviceRepository.copy(existing), replaced: true };
    }
    if (this.rows.has(input.newId)) {
      throw deviceAuthErrors.idTaken(input.newId);
    }
    const device = this.insert(input, input.engineerId);
    return { device: InMemoryDeviceRepository.copy(device), replaced: false };
  }

  async adopt(
    input: Parameters<DeviceRepository['adopt']>[0],
  ): Promise<{ device: DeviceEntity; adopted: boolean }> {
    const holder = [...this.rows.values()].find(
      (d) => d.id === input.newId || (d.kind === input.kind && d.externalId === input.externalId),
    );
    if (holder) {
      const same =
        holder.id === input.newId &&
        holder.kind === input.kind &&
        holder.externalId === input.externalId &&
        holder.keyFingerprint === input.key.fingerprint;
      if (!same) throw deviceAuthErrors.adoptionConflict(input.newId);
      return { device: InMemoryDeviceRepository.copy(holder), adopted: false };
    }
    const device = this.insert(input, null);
    return { device: InMemoryDeviceRepository.copy(device), adopted: true };
  }

  private insert(input: Omit<KeyRegistration, 'engineerId'>, engineerId: string | null) {
    const device = Object.assign(new DeviceEntity(), {
      id: input.newId,
      kind: input.kind,
      externalId: input.externalId,
      displayName: input.displayName,
      publicKeySpki: input.key.spkiPem,
      keyAlgorithm: input.key.algorithm,
      keyFingerprint: input.key.fingerprint,
      disabledAt: null,
      keyRotatedAt: null,
      registeredByEngineerId: engineerId,
      createdAt: this.tick(),
    });
    this.rows.set(device.id, device);
    return device;
  }

  async replaceKey(
    id: string,
    key: Parameters<DeviceRepository['replaceKey']>[1],
  ): Promise<DeviceEntity | null> {
    const device = this.rows.get(id);
    if (!device) return null;
    Object.assign(device, {
      publicKeySpki: key.spkiPem,
      keyAlgorithm: key.algorithm,
      keyFingerprint: key.fingerprint,
      keyRotatedAt: this.tick(),
    });
    return InMemoryDeviceRepository.copy(device);
  }

  async setDisabled(id: string, disabled: boolean): Promise<DeviceEntity | null> {
    const device = this.rows.get(id);
    if (!device) return null;
    device.disabledAt = disabled ? (device.disabledAt ?? this.tick()) : null;
    return InMemoryDeviceRepository.copy(device);
  }

  async remove(id: string, kind?: DeviceKind): Promise<DeviceEntity | null> {
    const device = this.rows.get(id);
    if (!device || (kind && device.kind !== kind)) return null;
    this.rows.delete(id);
    return InMemoryDeviceRepository.copy(device);
  }

  async list(kind: DeviceKind | undefined, window: PageWindow): Promise<[DeviceEntity[], number]> {
    const all = [...this.rows.values()]
      .filter((d) => !kind || d.kind === kind)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    const page = all.slice(window.skip, window.skip + window.take);
    return [page.map((device) => InMemoryDeviceRepository.copy(device)), all.length];
  }
}
