import { type DeviceKind, type DevicePublicKey } from '@platform/device-auth';

/** A device that may log in: enabled, of the asked kind, with its parsed key. */
export interface ActiveDevice {
  id: string;
  kind: DeviceKind;
  key: DevicePublicKey;
}

/** What login and session checks need from the database (DeviceRepository; a fake in specs). */
export interface DeviceDirectory {
  /** The device with this id if it is of this kind and not disabled, else null. */
  findActive(kind: DeviceKind, id: string): Promise<ActiveDevice | null>;
}

export const DEVICE_DIRECTORY = Symbol('DEVICE_DIRECTORY');
