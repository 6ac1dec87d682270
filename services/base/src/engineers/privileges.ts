import {
  ENGINEER_PRIVILEGE_NAMES,
  ENGINEER_PRIVILEGES,
  type EngineerPrivilege,
  privilegesToMask,
} from '@platform/device-auth';

export { ENGINEER_PRIVILEGE_NAMES, ENGINEER_PRIVILEGES, type EngineerPrivilege };

/** Names of the known bits set in `mask`; unknown bits are ignored rather than fatal. */
export function privilegeNamesOf(mask: number): EngineerPrivilege[] {
  return ENGINEER_PRIVILEGE_NAMES.filter((name) => (mask & ENGINEER_PRIVILEGES[name]) !== 0);
}

/** The bitmask for a list of names (already validated by the DTO); replaces, never adds. */
export function maskOf(names: readonly EngineerPrivilege[]): number {
  return privilegesToMask(names);
}

export function holdsPrivilege(mask: number, privilege: EngineerPrivilege): boolean {
  return (mask & ENGINEER_PRIVILEGES[privilege]) === ENGINEER_PRIVILEGES[privilege];
}
