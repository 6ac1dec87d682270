import { DomainError } from '@platform/errors';
import { failureOf } from '@platform/testing';
import { type BaseUsersClient } from '../common/remote/base-users.client';
import { type TaskEventsPublisher } from '../tasks/task-events.publisher';
import { type PurchaseCreationDto, type PurchaseView } from './dto/purchase.dto';
import { type IdempotencyClaim, type PurchaseRepository } from './purchase.repository';
import { type PurchaseOrder } from './purchase-request';
import { PurchasesService } from './purchases.service';

const ROBOT = '7e57ab1e-0000-4000-8000-000000000001';
const STORE = '5709e000-0000-4000-8000-000000000002';
const USER = '11111111-1111-4111-8111-111111111111';
const ITEM = '22222222-2222-4222-8222-222222222222';
const BODY: PurchaseCreationDto = {
  user_id: USER,
  items: [{ item_id: ITEM, count: 1 }],
  is_default_ready: false,
};
const ANSWER = { id: 'first-answer' } as PurchaseView;
const BASE_DOWN = new DomainError('unavailable', 'BASE_SERVICE_UNAVAILABLE', 'base is down');

/**
 * The passenger check around the purchase write: the user must exist, except for the retry of a
 * purchase already made under its Idempotency-Key, which gets its first answer (docs/api/store.md).
 */
describe('PurchasesService', () => {
  let userExists: () => Promise<boolean>;
  let robotMayAct: () => Promise<'yes' | 'unknown' | 'not-served'>;
  let retries: IdempotencyClaim[];
  const written: [PurchaseOrder, IdempotencyClaim | undefined][] = [];
  const service = new PurchasesService(
    {
      purchase: async (order: PurchaseOrder, claim?: IdempotencyClaim) => {
        written.push([order, claim]);
        return { purchase: ANSWER, replayed: claim !== undefined, taskReadyAt: null };
      },
      isRetry: async (claim: IdempotencyClaim) =>
        retries.some((retry) => JSON.stringify(retry) === JSON.stringify(claim)),
    } as unknown as PurchaseRepository,
    {
      exists: () => userExists(),
      robotMayActFor: () => robotMayAct(),
    } as unknown as BaseUsersClient,
    { taskReady: async () => undefined } as unknown as TaskEventsPublisher,
  );
  const caller = { deviceId: ROBOT, storeId: STORE, robot: false };
  const robot = { ...caller, robot: true };

  beforeEach(() => {
    userExists = async () => true;
    robotMayAct = async () => 'yes';
    retries = [];
    written.splice(0);
  });

  /** Makes the keyed purchase once, so that its claim is a known retry. */
  async function buyWithKey(key: string): Promise<void> {
    await service.purchase(caller, BODY, key);
    const claim = written[0]?.[1];
    if (claim === undefined) throw new Error('the purchase carried no claim');
    retries.push(claim);
    written.splice(0);
  }

  it.each<[string, () => Promise<boolean>]>([
    ['deleted since', async () => false],
    ['unknown to a base that does not answer', () => Promise.reject(BASE_DOWN)],
  ])('a retry under the same key gets the first answer with its passenger %s', async (_, check) => {
    await buyWithKey('retry-7');
    userExists = check;
    expect(await service.purchase(caller, BODY, 'retry-7')).toBe(ANSWER);
    expect(written).toHaveLength(1);
  });

  it.each<[string, () => Promise<boolean>, string]>([
    ['does not exist', async () => false, 'USER_NOT_FOUND'],
    ['is unknown to a base that does not answer', () => Promise.reject(BASE_DOWN), BASE_DOWN.code],
  ])('a purchase whose passenger %s is refused unless it is a retry', async (_, check, code) => {
    await buyWithKey('retry-7');
    userExists = check;
    const other: PurchaseCreationDto = { ...BODY, items: [{ item_id: ITEM, count: 2 }] };
    for (const [body, key] of [
      [BODY, undefined],
      [BODY, 'another-key'],
      [other, 'retry-7'],
    ] as const) {
      expect((await failureOf(service.purchase(caller, body, key))).code).toBe(code);
    }
    expect(written).toEqual([]);
  });

  it.each<['yes' | 'unknown' | 'not-served', string | null]>([
    ['yes', null],
    ['unknown', 'USER_NOT_FOUND'],
    ['not-served', 'PASSENGER_NOT_IDENTIFIED'],
  ])('a robot buys only for the passenger it identified last (%s: %s)', async (answer, code) => {
    robotMayAct = async () => answer;
    userExists = async () => {
      throw new Error('a robot is checked by robotMayActFor, not exists');
    };
    if (code === null) {
      expect(await service.purchase(robot, BODY, undefined)).toBe(ANSWER);
    } else {
      expect((await failureOf(service.purchase(robot, BODY, undefined))).code).toBe(code);
      expect(written).toEqual([]);
    }
  });
});
