import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  type DeviceKind,
  type DevicePublicKey,
  ENGINEER_PRIVILEGES,
  hasPrivileges,
  isDeviceAuthError,
  parseDevicePublicKey,
  requiredPrivilegeFor,
} from '@platform/device-auth';
import { StoreDirectoryClient } from '../common/remote/store-directory.client';
import { EngineerCredentialsService } from '../engineers/engineer-credentials.service';
import { DeviceRepository } from './device.repository';
import { DeviceSessionsService } from './device-sessions.service';
import {
  type LockerDeviceView,
  type LockerRegistrationDto,
  type RobotRegistrationDto,
  type RobotView,
  type StoreDeviceView,
  type StoreRegistrationDto,
} from './dto/device-auth.dto';
import { type DeviceEntity } from './entities/device.entity';
import { DeviceAuthRateLimiter } from './rate-limiter';
import { deviceAuthErrors } from './device-auth.errors';

/** `parseDevicePublicKey` with its refusals as DomainErrors carrying the lib's code. */
export function parsePublicKeyOrThrow(pem: string): DevicePublicKey {
  try {
    return parseDevicePublicKey(pem);
  } catch (error) {
    if (isDeviceAuthError(error)) {
      throw deviceAuthErrors.core(error.code, error.message);
    }
    throw error;
  }
}

interface Registration {
  kind: DeviceKind;
  login: string;
  password: string;
  publicKey: string;
  externalId: string;
  newId: string;
  displayName: string | null;
  address: string;
  /** Runs after the engineer and the key were accepted, before anything is written. */
  beforeWrite?: () => Promise<void>;
}

/**
 * Provisioning (`POST /auth/<kind>/new_login`): an engineer with the kind's privilege registers a
 * device's public key. Registering a device again (same robot_model_id, store_id or locker_id)
 * keeps its row and id, replaces its key and ends all its sessions; the seed deleted and
 * re-created the row and left the old sessions alive.
 */
@Injectable()
export class DeviceRegistrationService {
  private readonly logger = new Logger('DeviceRegistration');

  constructor(
    private readonly engineers: EngineerCredentialsService,
    private readonly devices: DeviceRepository,
    private readonly sessions: DeviceSessionsService,
    private readonly limiter: DeviceAuthRateLimiter,
    private readonly stores: StoreDirectoryClient,
  ) {}

  async registerRobot(body: RobotRegistrationDto, address: string): Promise<RobotView> {
    const device = await this.register({
      kind: 'robot',
      login: body.login,
      password: body.password,
      publicKey: body.public_key,
      externalId: body.robot_model_id,
      newId: randomUUID(),
      displayName: body.robot_model_name,
      address,
    });
    return {
      id: device.id,
      robot_model_id: device.externalId,
      robot_model_name: device.displayName ?? '',
    };
  }

  /**
   * The store is looked up in the store service (`store.stores.byIds`) before anything is
   * written, and registration fails closed: an unknown store is 404 STORE_NOT_FOUND, a store
   * service that does not answer 503 STORE_SERVICE_UNAVAILABLE.
   */
  async registerStore(body: StoreRegistrationDto, address: string): Promise<StoreDeviceView> {
    let view: StoreDeviceView | undefined;
    await this.register({
      kind: 'store',
      login: body.login,
      password: body.password,
      publicKey: body.public_key,
      externalId: body.store_id,
      newId: body.store_id,
      displayName: null,
      address,
      beforeWrite: async () => {
        view = await this.storeView(body.store_id);
      },
    });
    if (!view) throw new Error('store terminal registered without its store');
    return view;
  }

  /**
   * A locker's device id is the id its client sends, and device ids are one space for every kind:
   * a locker registered under a store's id would lock that store's terminal out for good, so such
   * an id is refused (409 DEVICE_ID_TAKEN), and, as for a store terminal, registration fails
   * closed while the store service does not answer (503 STORE_SERVICE_UNAVAILABLE).
   */
  async registerLocker(body: LockerRegistrationDto, address: string): Promise<LockerDeviceView> {
    const device = await this.register({
      kind: 'locker',
      login: body.login,
      password: body.password,
      publicKey: body.public_key,
      externalId: body.locker_id,
      newId: body.locker_id,
      displayName: null,
      address,
      beforeWrite: async () => {
        const [store] = await this.stores.storesByIds([body.locker_id]);
        if (store) throw deviceAuthErrors.idOfAStore(body.locker_id, 'locker');
      },
    });
    return { id: device.id, locker_id: device.externalId };
  }

  private async register(input: Registration): Promise<DeviceEntity> {
    await this.limiter.register(input.address, input.login);
    const engineer = await this.engineers.verify(input.login, input.password);
    const privilege = requiredPrivilegeFor(input.kind);
    if (!hasPrivileges(engineer.privileges, ENGINEER_PRIVILEGES[privilege])) {
      throw deviceAuthErrors.insufficientPrivileges(input.kind, privilege);
    }
    const key = parsePublicKeyOrThrow(input.publicKey);
    await input.beforeWrite?.();
    const { device, replaced } = await this.devices.register({
      kind: input.kind,
      newId: input.newId,
      externalId: input.externalId,
      displayName: input.displayName,
      key,
      engineerId: engineer.id,
    });
    const revokedSessions = await this.sessions.revokeAll(device.id);
    this.logger.log(
      {
        event: replaced ? 'device.key.replaced' : 'device.registered',
        kind: device.kind,
        deviceId: device.id,
        externalId: device.externalId,
        keyAlgorithm: key.algorithm,
        keyFingerprint: key.fingerprint,
        engineerId: engineer.id,
        revokedSessions,
      },
      replaced ? 'device re-registered: key replaced, sessions revoked' : 'device registered',
    );
    return device;
  }

  private async storeView(storeId: string): Promise<StoreDeviceView> {
    const [store] = await this.stores.storesByIds([storeId]);
    if (!store) {
      throw deviceAuthErrors.storeNotFound(storeId);
    }
    return {
      id: store.id,
      store_id: store.id,
      name: store.name,
      description: store.description,
      logo_url: store.logoUrl,
      store_type: store.storeType,
    };
  }
}
