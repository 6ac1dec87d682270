import { holdsPrivilege, maskOf, privilegeNamesOf } from './privileges';

describe('engineer privileges', () => {
  it('uses the seed bit values (LOCKER_LOGIN is new)', () => {
    expect(maskOf(['ROBOT_LOGIN'])).toBe(1);
    expect(maskOf(['STORE_LOGIN'])).toBe(2);
    expect(maskOf(['ROBOT_ADMIN'])).toBe(4);
    expect(maskOf(['LOCKER_LOGIN'])).toBe(8);
  });

  it('ORs the listed bits and ignores duplicates', () => {
    expect(maskOf(['ROBOT_LOGIN', 'ROBOT_ADMIN', 'ROBOT_LOGIN'])).toBe(5);
    expect(maskOf([])).toBe(0);
  });

  it('names the bits of a mask in bit order and ignores unknown bits', () => {
    expect(privilegeNamesOf(5)).toEqual(['ROBOT_LOGIN', 'ROBOT_ADMIN']);
    expect(privilegeNamesOf(15)).toEqual([
      'ROBOT_LOGIN',
      'STORE_LOGIN',
      'ROBOT_ADMIN',
      'LOCKER_LOGIN',
    ]);
    expect(privilegeNamesOf(16 | 2)).toEqual(['STORE_LOGIN']);
    expect(privilegeNamesOf(0)).toEqual([]);
  });

  it('tells whether a mask holds a privilege', () => {
    expect(holdsPrivilege(4, 'ROBOT_ADMIN')).toBe(true);
    expect(holdsPrivilege(5, 'ROBOT_ADMIN')).toBe(true);
    expect(holdsPrivilege(3, 'ROBOT_ADMIN')).toBe(false);
    expect(holdsPrivilege(0, 'ROBOT_LOGIN')).toBe(false);
  });
});
