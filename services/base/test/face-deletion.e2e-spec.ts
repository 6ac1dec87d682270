import { randomUUID } from 'node:crypto';
import { type ErrorBody } from '@platform/errors';
import { api, keycloakToken, platformCommand, waitFor } from '@platform/testing';
import { type UserView as User } from '../src/users/dto/user.dto';
import { facePhotos } from './dev-faces';

/**
 * Deleting a user removes their face for sure: the deletion enqueues a BullMQ job (retried with
 * backoff) in its own transaction, so a face service that is stopped at that moment catches up
 * once it is back. Stops and starts the stack's face service (`platform.sh stop-service face`).
 */

jest.setTimeout(300_000);

const V1 = '/base_api/v1';

describe('face deletion of a deleted user', () => {
  let admin: string;
  const photos = facePhotos('person04');
  const created: string[] = [];

  const create = (face: string) =>
    api<User & ErrorBody>('POST', `${V1}/admin/user`, {
      token: admin,
      body: { name: `Deleted-${randomUUID().slice(0, 8)}`, face },
    });

  beforeAll(async () => {
    admin = await keycloakToken('dev-admin');
  });

  afterAll(async () => {
    await platformCommand('start-service', 'face').catch(() => undefined);
    for (const userId of created)
      await api('DELETE', `${V1}/admin/users/${userId}`, { token: admin });
  });

  it('removes the face once face is back, though it was stopped when the user was deleted', async () => {
    const user = await create(photos[0]);
    expect(user.status).toBe(200);
    // The face is taken: nobody else may enrol it.
    const twin = await create(photos[1]);
    expect([twin.status, twin.body.code]).toEqual([409, 'FACE_ALREADY_ENROLLED']);

    await platformCommand('stop-service', 'face');
    try {
      const deleted = await api('DELETE', `${V1}/admin/users/${user.body.id}`, { token: admin });
      expect([deleted.status, deleted.body]).toEqual([200, { status: 'OK' }]);
      // Face is down: face routes answer 503, the deletion job keeps retrying.
      const meanwhile = await create(photos[1]);
      expect([meanwhile.status, meanwhile.body.code]).toEqual([503, 'FACE_SERVICE_UNAVAILABLE']);
      await new Promise((resolve) => setTimeout(resolve, 5000));
    } finally {
      await platformCommand('start-service', 'face');
    }

    // Once the job has caught up, the face belongs to nobody: someone else may enrol it.
    const successor = await waitFor(
      async () => {
        const attempt = await create(photos[1]);
        if (attempt.status === 200) return attempt.body;
        expect([attempt.status, attempt.body.code]).toEqual([409, 'FACE_ALREADY_ENROLLED']);
        return undefined;
      },
      { timeoutMs: 120_000, intervalMs: 2000, what: 'the deleted user’s face to be removed' },
    );
    created.push(successor.id);
  });
});
