import { type Repository } from 'typeorm';
import { EngineerCredentialsService } from './engineer-credentials.service';
import { type EngineerEntity } from './entities/engineer.entity';
import { PasswordHasher } from './password-hasher';
import { failureOf } from '@platform/testing';

describe('EngineerCredentialsService', () => {
  const hasher = new PasswordHasher();
  let engineer: EngineerEntity;
  let service: EngineerCredentialsService;
  let findOneBy: jest.Mock;

  beforeAll(async () => {
    engineer = {
      id: '5b1c3a52-8f0e-4d0c-9b7e-1f2a3b4c5d6e',
      login: 'ivan',
      passwordHash: await hasher.hash('correct horse battery'),
      privileges: 5,
      createdAt: new Date(),
    };
  });

  beforeEach(() => {
    findOneBy = jest.fn(async ({ login }: { login: string }) =>
      login === engineer.login ? engineer : null,
    );
    service = new EngineerCredentialsService(
      { findOneBy } as unknown as Repository<EngineerEntity>,
      hasher,
    );
  });

  it('returns the id and privilege bits for the right password', async () => {
    await expect(service.verify('ivan', 'correct horse battery')).resolves.toEqual({
      id: engineer.id,
      privileges: 5,
    });
  });

  it.each([
    ['a wrong password', 'ivan', 'wrong password!'],
    ['an unknown login', 'nobody', 'correct horse battery'],
    ['an empty login', '', 'correct horse battery'],
    ['an over-long login', 'x'.repeat(61), 'correct horse battery'],
    ['an over-long password', 'ivan', 'x'.repeat(10_000)],
  ])('refuses %s with the same 401', async (_, login, password) => {
    const error = await failureOf(service.verify(login, password));
    expect([error.kind, error.code, error.message]).toEqual([
      'unauthenticated',
      'INVALID_CREDENTIALS',
      'Invalid credentials',
    ]);
  });

  it('runs one argon2 verification for an unknown login, as for a wrong password', async () => {
    const verify = jest.spyOn(hasher, 'verify');
    await failureOf(service.verify('nobody', 'whatever password'));
    await failureOf(service.verify('ivan', 'whatever password'));
    expect(verify).toHaveBeenCalledTimes(2);
    const [unknownHash, wrongHash] = verify.mock.calls.map(([hash]) => hash);
    // The dummy hash has the same algorithm and cost as a real one.
    expect(unknownHash).not.toBe(engineer.passwordHash);
    expect(unknownHash?.split('$').slice(0, 4)).toEqual(wrongHash?.split('$').slice(0, 4));
  });

  it('hashes with argon2id', () => {
    const [, algorithm, version, parameters] = engineer.passwordHash.split('$');
    expect([algorithm, version]).toEqual(['argon2id', 'v=19']);
    expect(parameters?.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
  });
});
