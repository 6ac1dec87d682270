import { randomUUID } from 'node:crypto';
import { type Repository } from 'typeorm';
import { type FaceClient } from '../../common/remote/face.client';
import { type UserEntity } from '../entities/user.entity';
import { UsersService } from '../users.service';

/** An empty users table, as UsersService's repository. */
export type UsersTableFactory = () => Promise<Repository<UserEntity>>;

/**
 * What UsersService's callers see of the users table (creation, deletion, passengers made on a
 * Keycloak account's first call, the e-mail that must stay unique), whatever holds it: run over
 * the in-memory table of the users specs (unit tier) and over Postgres after base's migrations
 * (integration tier). The face service always answers here, except where a case says otherwise.
 */
export function describeUsersStorageContract(name: string, usersTable: UsersTableFactory): void {
  describe(`users storage contract: ${name}`, () => {
    let service: UsersService;
    let faces: { enroll: jest.Mock; delete: jest.Mock };
    let faceDeletions: { schedule: jest.Mock };

    beforeEach(async () => {
      faces = { enroll: jest.fn(async () => undefined), delete: jest.fn(async () => true) };
      faceDeletions = { schedule: jest.fn(async () => undefined) };
      service = new UsersService(await usersTable(), faces as unknown as FaceClient, faceDeletions);
    });

    const notFound = { kind: 'not_found', code: 'USER_NOT_FOUND' };

    it('creates a user that can be read back', async () => {
      const user = await service.create('Anna Ivanova');
      expect(user).toMatchObject({ name: 'Anna Ivanova', email: null, keycloakSubject: null });
      expect(user.createdAt).toBeInstanceOf(Date);
      expect(await service.get(user.id)).toEqual(user);
    });

    it('lets two people share a full name', async () => {
      const [a, b] = [await service.create('Anna'), await service.create('Anna')];
      expect(a.id).not.toBe(b.id);
    });

    it('leaves no user behind when the face cannot be enrolled', async () => {
      faces.enroll.mockRejectedValue(new Error('no face'));
      await expect(service.create('Anna', 'aGVsbG8=')).rejects.toThrow('no face');
      const [[userId]] = faces.enroll.mock.calls as [[string]];
      await expect(service.get(userId)).rejects.toMatchObject(notFound);
    });

    it('deletes a user once', async () => {
      const user = await service.create('Anna');
      await service.remove(user.id);
      await expect(service.get(user.id)).rejects.toMatchObject(notFound);
      await expect(service.remove(user.id)).rejects.toMatchObject(notFound);
      await expect(service.get(randomUUID())).rejects.toMatchObject(notFound);
      // The face's removal is scheduled once, by the deletion that happened.
      expect(faceDeletions.schedule.mock.calls).toEqual([[user.id]]);
    });

    it('deletes nobody when the face deletion cannot be scheduled (the queue is down)', async () => {
      const user = await service.create('Anna');
      const down = new Error('REDIS_UNAVAILABLE');
      faceDeletions.schedule.mockRejectedValue(down);
      await expect(service.remove(user.id)).rejects.toBe(down);
      expect(await service.get(user.id)).toEqual(user);
    });

    describe('passengers of Keycloak accounts', () => {
      it('makes one user per account and finds it again', async () => {
        const subject = randomUUID();
        const first = await service.resolvePassenger({ subject, name: 'anna', email: 'a@x.test' });
        const again = await service.resolvePassenger({ subject, name: 'renamed' });
        expect(again).toEqual(first);
        expect(first).toMatchObject({ name: 'anna', email: 'a@x.test', keycloakSubject: subject });
      });

      it('makes one user out of concurrent first calls of an account', async () => {
        const subject = randomUUID();
        const users = await Promise.all(
          Array.from({ length: 4 }, () => service.resolvePassenger({ subject, name: 'anna' })),
        );
        expect(new Set(users.map((user) => user.id)).size).toBe(1);
      });

      it('keeps an e-mail address to one user, whatever its case', async () => {
        const owner = await service.resolvePassenger({
          subject: randomUUID(),
          name: 'anna',
          email: 'Anna@X.test',
        });
        const newcomer = await service.resolvePassenger({
          subject: randomUUID(),
          name: 'mallory',
          email: 'anna@x.TEST',
        });
        expect(newcomer.id).not.toBe(owner.id);
        expect(newcomer.email).toBeNull();
        expect((await service.get(owner.id)).email).toBe('Anna@X.test');
      });

      it('gives the address to a new account once its holder is deleted', async () => {
        const owner = await service.resolvePassenger({
          subject: randomUUID(),
          email: 'a@x.test',
        });
        await service.remove(owner.id);
        const successor = await service.resolvePassenger({
          subject: randomUUID(),
          email: 'a@x.test',
        });
        expect(successor.email).toBe('a@x.test');
      });
    });
  });
}
