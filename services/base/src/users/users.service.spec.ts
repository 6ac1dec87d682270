import { DomainError } from '@platform/errors';
import { type Repository } from 'typeorm';
import { type FaceClient } from '../common/remote/face.client';
import { type UserEntity } from './entities/user.entity';
import { InMemoryUsersRepository } from './testing/in-memory-users.repository';
import { UsersService } from './users.service';

function setUp(face: Partial<FaceClient> = {}) {
  const users = new InMemoryUsersRepository();
  const faces = {
    enroll: jest.fn(async () => undefined),
    delete: jest.fn(async () => true),
    ...face,
  } as unknown as FaceClient;
  const faceDeletions = { schedule: jest.fn(async () => undefined) };
  const service = new UsersService(
    users as unknown as Repository<UserEntity>,
    faces,
    faceDeletions,
  );
  return { users, faces, faceDeletions, service };
}

describe('UsersService', () => {
  it('creates a user and enrols the face given with it', async () => {
    const { service, users, faces } = setUp();
    const user = await service.create('Anna', 'aGVsbG8=');
    expect(users.rows.map((row) => row.id)).toEqual([user.id]);
    expect(faces.enroll).toHaveBeenCalledWith(user.id, 'aGVsbG8=');
  });

  it('leaves nothing behind when the face cannot be enrolled', async () => {
    const unavailable = new DomainError('unavailable', 'FACE_SERVICE_UNAVAILABLE', 'down');
    const { service, users } = setUp({ enroll: jest.fn().mockRejectedValue(unavailable) });
    await expect(service.create('Anna', 'aGVsbG8=')).rejects.toBe(unavailable);
    expect(users.rows).toEqual([]);
  });

  it('lets two people share a full name', async () => {
    const { service } = setUp();
    const [a, b] = [await service.create('Anna Ivanova'), await service.create('Anna Ivanova')];
    expect(a.id).not.toBe(b.id);
  });

  it('deletes the row and schedules the face removal, without calling face itself', async () => {
    const { service, users, faces, faceDeletions } = setUp();
    const user = await service.create('Anna');
    await service.remove(user.id);
    expect(users.rows).toEqual([]);
    expect(faceDeletions.schedule).toHaveBeenCalledWith(user.id);
    expect(faces.delete).not.toHaveBeenCalled();
    await expect(service.remove(user.id)).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(faceDeletions.schedule).toHaveBeenCalledTimes(1);
  });

  it('answers 404 for face changes of an unknown user without calling face', async () => {
    const { service, faces } = setUp();
    await expect(service.setFace('nobody', 'aGVsbG8=')).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
    await expect(service.deleteFace('nobody')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(faces.enroll).not.toHaveBeenCalled();
    expect(faces.delete).not.toHaveBeenCalled();
  });

  describe('resolvePassenger', () => {
    it('makes one row per Keycloak subject and finds it again', async () => {
      const { service, users } = setUp();
      const first = await service.resolvePassenger({
        subject: 'kc-1',
        name: 'anna',
        email: 'a@x.test',
      });
      const again = await service.resolvePassenger({ subject: 'kc-1', name: 'renamed' });
      expect(again.id).toBe(first.id);
      expect(users.rows).toHaveLength(1);
      expect(first).toMatchObject({ name: 'anna', email: 'a@x.test', keycloakSubject: 'kc-1' });
    });

    it('never takes over an existing row by e-mail; links without the address instead', async () => {
      const { service, users } = setUp();
      const owner = await service.resolvePassenger({
        subject: 'kc-1',
        name: 'anna',
        email: 'a@x.test',
      });
      const newcomer = await service.resolvePassenger({
        subject: 'kc-2',
        name: 'mallory',
        email: 'A@X.test',
      });
      expect(newcomer.id).not.toBe(owner.id);
      expect(newcomer.email).toBeNull();
      expect(users.rows).toHaveLength(2);
    });

    it('names a passenger without a username, and trims an over-long name to the column', async () => {
      const { service } = setUp();
      expect((await service.resolvePassenger({ subject: 'kc-3' })).name).toBe('Passenger');
      expect(
        (await service.resolvePassenger({ subject: 'kc-4', name: 'x'.repeat(300) })).name,
      ).toHaveLength(256);
    });
  });
});
