import {
  ALL_ENGINEER_PRIVILEGES_MASK,
  DEVICE_KINDS,
  ENGINEER_PRIVILEGES,
  hasPrivileges,
  isDeviceKind,
  isValidPrivilegeMask,
  maskToPrivileges,
  parseDeviceKind,
  privilegesToMask,
  requiredPrivilegeFor,
  type DeviceKind,
  type EngineerPrivilege,
} from './device-kind';
import { DeviceAuthError } from './errors';

describe('device kinds', () => {
  it('lists robot, store and locker', () => {
    expect(DEVICE_KINDS).toEqual(['robot', 'store', 'locker']);
  });

  it.each<[unknown, boolean]>([
    ['robot', true],
    ['store', true],
    ['locker', true],
    ['Robot', false],
    ['robot ', false],
    ['', false],
    [undefined, false],
    [1, false],
    ['toString', false],
  ])('isDeviceKind(%j) is %s', (value, expected) => {
    expect(isDeviceKind(value)).toBe(expected);
  });

  it('parseDeviceKind throws INVALID_DEVICE_KIND for anything else', () => {
    expect(parseDeviceKind('store')).toBe('store');
    expect(() => parseDeviceKind('drone')).toThrow(
      expect.objectContaining({ code: 'INVALID_DEVICE_KIND' }),
    );
  });
});

describe('engineer privileges', () => {
  it('keeps the seed bit values and adds LOCKER_LOGIN = 8', () => {
    expect(ENGINEER_PRIVILEGES).toEqual({
      ROBOT_LOGIN: 1,
      STORE_LOGIN: 2,
      ROBOT_ADMIN: 4,
      LOCKER_LOGIN: 8,
    });
    expect(ALL_ENGINEER_PRIVILEGES_MASK).toBe(15);
  });

  it.each<[EngineerPrivilege[], number]>([
    [[], 0],
    [['ROBOT_LOGIN'], 1],
    [['STORE_LOGIN'], 2],
    [['ROBOT_ADMIN'], 4],
    [['LOCKER_LOGIN'], 8],
    [['ROBOT_LOGIN', 'ROBOT_ADMIN'], 5],
    [['ROBOT_LOGIN', 'ROBOT_LOGIN'], 1],
    [['ROBOT_LOGIN', 'STORE_LOGIN', 'ROBOT_ADMIN', 'LOCKER_LOGIN'], 15],
  ])('%j <-> %i', (names, mask) => {
    expect(privilegesToMask(names)).toBe(mask);
    expect(maskToPrivileges(mask)).toEqual([...new Set(names)]);
  });

  it.each(['ADMIN', 'robot_login', '', 'constructor'])(
    'privilegesToMask rejects unknown name %j',
    (name) => {
      expect(() => privilegesToMask([name])).toThrow(DeviceAuthError);
      expect(() => privilegesToMask([name])).toThrow(
        expect.objectContaining({ code: 'INVALID_PRIVILEGE' }),
      );
    },
  );

  it.each([16, 17, -1, 1.5, Number.NaN, 2 ** 53])('maskToPrivileges rejects %d', (mask) => {
    expect(isValidPrivilegeMask(mask)).toBe(false);
    expect(() => maskToPrivileges(mask)).toThrow(
      expect.objectContaining({ code: 'INVALID_PRIVILEGE' }),
    );
  });

  it.each<[number, number, boolean]>([
    [0, 1, false],
    [1, 1, true],
    [5, 1, true],
    [5, 4, true],
    [5, 2, false],
    [5, 5, true],
    [5, 7, false],
    [15, 8, true],
    [7, 8, false],
    [-1, 1, false],
    [0, 0, true],
  ])('hasPrivileges(%i, %i) is %s', (held, required, expected) => {
    expect(hasPrivileges(held, required)).toBe(expected);
  });

  it.each<[DeviceKind, EngineerPrivilege]>([
    ['robot', 'ROBOT_LOGIN'],
    ['store', 'STORE_LOGIN'],
    ['locker', 'LOCKER_LOGIN'],
  ])('provisioning a %s needs %s', (kind, privilege) => {
    expect(requiredPrivilegeFor(kind)).toBe(privilege);
  });

  it('requiredPrivilegeFor rejects an unknown kind at runtime', () => {
    expect(() => requiredPrivilegeFor('drone' as DeviceKind)).toThrow(
      expect.objectContaining({ code: 'INVALID_DEVICE_KIND' }),
    );
  });
});
