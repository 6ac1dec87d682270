import { Injectable, Logger } from '@nestjs/common';
import { type DeviceKind } from '@platform/device-auth';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { StoreDirectoryClient } from '../common/remote/store-directory.client';
import { DeviceRepository } from './device.repository';
import { DeviceSessionsService } from './device-sessions.service';
import { parsePublicKeyOrThrow } from './device-registration.service';
import { type DeviceView, type RobotView } from './dto/device-auth.dto';
import { type DeviceEntity } from './entities/device.entity';
import { deviceAuthErrors } from './device-auth.errors';

export function toDeviceView(device: DeviceEntity): DeviceView {
  return {
    id: device.id,
    kind: device.kind,
    external_id: device.externalId,
    name: device.displayName,
    key_algorithm: device.keyAlgorithm,
    key_fingerprint: device.keyFingerprint,
    disabled: device.disabledAt !== null,
    disabled_at: device.disabledAt?.toISOString() ?? null,
    key_rotated_at: device.keyRotatedAt?.toISOString() ?? null,
    registered_by_engineer_id: device.registeredByEngineerId,
    created_at: device.createdAt.toISOString(),
  };
}

/** The seed's robot shape. */
export function toRobotView(device: DeviceEntity): RobotView {
  return {
    id: device.id,
    robot_model_id: device.externalId,
    robot_model_name: device.displayName ?? '',
  };
}

/**
 * Back office for devices (admins): list, delete, disable, enable, rotate the key. Whatever takes
 * a device out of service or changes its key ends its sessions, after the database change (a
 * login racing with it re-checks the device once its session exists, see DeviceSessionsService).
 */
@Injectable()
export class DeviceAdminService {
  private readonly logger = new Logger('DeviceAdmin');

  constructor(
    private readonly devices: DeviceRepository,
    private readonly sessions: DeviceSessionsService,
    private readonly stores: StoreDirectoryClient,
  ) {}

  async list(kind: DeviceKind | undefined, window: PageWindow): Promise<Page<DeviceView>> {
    const [items, total] = await this.devices.list(kind, window);
    return pageOf(items.map(toDeviceView), total, window);
  }

  async listRobots(window: PageWindow): Promise<Page<RobotView>> {
    const [items, total] = await this.devices.list('robot', window);
    return pageOf(items.map(toRobotView), total, window);
  }

  async get(id: string): Promise<DeviceView> {
    const device = await this.devices.findById(id);
    if (!device) throw deviceAuthErrors.deviceNotFound(id);
    return toDeviceView(device);
  }

  async remove(id: string, actor: string, kind?: DeviceKind): Promise<void> {
    const device = await this.devices.remove(id, kind);
    if (!device) throw deviceAuthErrors.deviceNotFound(id, kind);
    const revokedSessions = await this.sessions.revokeAll(device.id);
    this.audit('device.deleted', device, actor, revokedSessions);
  }

  async disable(id: string, actor: string): Promise<DeviceView> {
    const device = await this.devices.setDisabled(id, true);
    if (!device) throw deviceAuthErrors.deviceNotFound(id);
    const revokedSessions = await this.sessions.revokeAll(device.id);
    this.audit('device.disabled', device, actor, revokedSessions);
    return toDeviceView(device);
  }

  async enable(id: string, actor: string): Promise<DeviceView> {
    const device = await this.devices.setDisabled(id, false);
    if (!device) throw deviceAuthErrors.deviceNotFound(id);
    this.audit('device.enabled', device, actor, 0);
    return toDeviceView(device);
  }

  /**
   * Takes over a robot registered in the system we replace, under the id it keeps in its
   * `private/login_data`, with the key it holds: it logs in as before, unprovisioned again.
   * Running it again for the same robot changes nothing. Device ids are one space for every kind,
   * so a store's id is refused (409 DEVICE_ID_TAKEN: it would lock that store's terminal out), and
   * the adoption fails closed while the store service does not answer, as a locker's
   * registration does.
   */
  async adoptRobot(
    id: string,
    body: { robot_model_id: string; robot_model_name: string; public_key: string },
    actor: string,
  ): Promise<RobotView> {
    const key = parsePublicKeyOrThrow(body.public_key);
    const [store] = await this.stores.storesByIds([id]);
    if (store) throw deviceAuthErrors.idOfAStore(id, 'robot');
    const { device, adopted } = await this.devices.adopt({
      kind: 'robot',
      newId: id,
      externalId: body.robot_model_id,
      displayName: body.robot_model_name,
      key,
    });
    if (adopted) this.audit('device.adopted', device, actor, 0);
    return toRobotView(device);
  }

  async rotateKey(id: string, publicKey: string, actor: string): Promise<DeviceView> {
    const key = parsePublicKeyOrThrow(publicKey);
    const device = await this.devices.replaceKey(id, key);
    if (!device) throw deviceAuthErrors.deviceNotFound(id);
    const revokedSessions = await this.sessions.revokeAll(device.id);
    this.audit('device.key.rotated', device, actor, revokedSessions);
    return toDeviceView(device);
  }

  private audit(event: string, device: DeviceEntity, actor: string, revokedSessions: number) {
    this.logger.log(
      {
        event,
        deviceId: device.id,
        kind: device.kind,
        externalId: device.externalId,
        keyFingerprint: device.keyFingerprint,
        actor,
        revokedSessions,
      },
      `${event} by an admin`,
    );
  }
}
