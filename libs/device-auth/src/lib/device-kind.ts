import { DeviceAuthError } from './errors';

/** The kinds of devices that authenticate with a key pair. */
export const DEVICE_KINDS = ['robot', 'store', 'locker'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export function isDeviceKind(value: unknown): value is DeviceKind {
  return typeof value === 'string' && (DEVICE_KINDS as readonly string[]).includes(value);
}

export function parseDeviceKind(value: unknown): DeviceKind {
  if (!isDeviceKind(value)) {
    throw new DeviceAuthError(
      'INVALID_DEVICE_KIND',
      `Unknown device kind ${JSON.stringify(value)}; expected one of ${DEVICE_KINDS.join(', ')}`,
    );
  }
  return value;
}

/**
 * Engineer privilege bits, wire-compatible with the seed's `engineers.privileges` integer
 * (LOCKER_LOGIN is new).
 */
export const ENGINEER_PRIVILEGES = {
  ROBOT_LOGIN: 1,
  STORE_LOGIN: 2,
  ROBOT_ADMIN: 4,
  LOCKER_LOGIN: 8,
} as const;

export type EngineerPrivilege = keyof typeof ENGINEER_PRIVILEGES;

export const ENGINEER_PRIVILEGE_NAMES = Object.keys(ENGINEER_PRIVILEGES) as EngineerPrivilege[];

/** Bitmask with every known privilege set (15). */
export const ALL_ENGINEER_PRIVILEGES_MASK = ENGINEER_PRIVILEGE_NAMES.reduce(
  (mask, name) => mask | ENGINEER_PRIVILEGES[name],
  0,
);

export function isEngineerPrivilege(value: unknown): value is EngineerPrivilege {
  return typeof value === 'string' && Object.hasOwn(ENGINEER_PRIVILEGES, value);
}

/** True when `mask` is a non-negative integer made only of known privilege bits. */
export function isValidPrivilegeMask(mask: unknown): mask is number {
  return (
    typeof mask === 'number' &&
    Number.isSafeInteger(mask) &&
    mask >= 0 &&
    (mask & ~ALL_ENGINEER_PRIVILEGES_MASK) === 0
  );
}

/** `['ROBOT_LOGIN', 'ROBOT_ADMIN']` → 5. Throws on an unknown name. Duplicates are harmless. */
export function privilegesToMask(names: readonly string[]): number {
  let mask = 0;
  for (const name of names) {
    if (!isEngineerPrivilege(name)) {
      throw new DeviceAuthError(
        'INVALID_PRIVILEGE',
        `Unknown engineer privilege ${JSON.stringify(name)}; expected one of ${ENGINEER_PRIVILEGE_NAMES.join(', ')}`,
      );
    }
    mask |= ENGINEER_PRIVILEGES[name];
  }
  return mask;
}

/** 5 → `['ROBOT_LOGIN', 'ROBOT_ADMIN']` (in bit order). Throws on a mask with unknown bits. */
export function maskToPrivileges(mask: number): EngineerPrivilege[] {
  if (!isValidPrivilegeMask(mask)) {
    throw new DeviceAuthError(
      'INVALID_PRIVILEGE',
      `Invalid engineer privilege mask ${String(mask)}; expected an integer in 0..${ALL_ENGINEER_PRIVILEGES_MASK}`,
    );
  }
  return ENGINEER_PRIVILEGE_NAMES.filter((name) => (mask & ENGINEER_PRIVILEGES[name]) !== 0);
}

/** Seed rule: `(held AND required) == required`. False (not a throw) for an invalid `held`. */
export function hasPrivileges(held: number, required: number): boolean {
  if (!Number.isSafeInteger(held) || held < 0) return false;
  return (held & required) === required;
}

const REQUIRED_PRIVILEGE: Readonly<Record<DeviceKind, EngineerPrivilege>> = {
  robot: 'ROBOT_LOGIN',
  store: 'STORE_LOGIN',
  locker: 'LOCKER_LOGIN',
};

/** The privilege an engineer needs to provision (register a key for) a device of this kind. */
export function requiredPrivilegeFor(kind: DeviceKind): EngineerPrivilege {
  return REQUIRED_PRIVILEGE[parseDeviceKind(kind)];
}
