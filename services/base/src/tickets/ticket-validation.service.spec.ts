import { randomUUID } from 'node:crypto';
import { DomainError } from '@platform/errors';
import { parseInstant } from '../common/instant';
import { type FaceClient } from '../common/remote/face.client';
import { type TicketEntity } from './entities/ticket.entity';
import { hashTicketCode } from './ticket-code';
import { InMemoryTicketLookup } from './testing/in-memory-ticket-lookup';
import { type DoorContext } from './ticket-queries';
import {
  REVALIDATION_WINDOW_MS,
  type TicketCheck,
  TicketValidationService,
} from './ticket-validation.service';
import { failureOf } from '@platform/testing';

const ANNA = '11111111-1111-4111-8111-111111111111';
const BORIS = '22222222-2222-4222-8222-222222222222';
const ROBOT = '99999999-9999-4999-8999-999999999999';
const DEPARTURE = new Date('2026-11-22T06:00:00Z');

let sequence = 0;

function ticket(overrides: Partial<TicketEntity> & { code?: string }): TicketEntity {
  sequence += 1;
  const { code, ...fields } = overrides;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    userId: ANNA,
    trainNumber: 1013,
    wagonNumber: 5,
    placeNumber: 12,
    stationId: 'MOSCOW',
    destinationId: 'SPB',
    departureAt: DEPARTURE,
    codeHash: hashTicketCode(code ?? `code-${sequence}`),
    usedAt: null,
    usedByDeviceId: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)),
    ...fields,
  };
}

const door: DoorContext = {
  stationId: 'MOSCOW',
  trainNumber: 1013,
  wagonNumber: 5,
  departureAt: DEPARTURE,
};

function check(overrides: Partial<TicketCheck> = {}): TicketCheck {
  return { ...door, face: 'ZmFjZQ==', markAsUsed: true, ...overrides };
}

function setUp(rows: TicketEntity[], faceOf: () => Promise<string> = async () => ANNA) {
  const lookup = new InMemoryTicketLookup(rows);
  const identify = jest.fn(faceOf);
  const service = new TicketValidationService(lookup, { identify } as unknown as FaceClient);
  return { lookup, identify, service };
}

function snapshot(rows: TicketEntity[]): string {
  return JSON.stringify(rows);
}

describe('TicketValidationService', () => {
  describe('by face', () => {
    it('admits the passenger with a ticket for this door and uses the ticket up', async () => {
      const mine = ticket({});
      const { service, lookup } = setUp([mine]);
      const admitted = await service.validate(check(), ROBOT);
      expect(admitted.id).toBe(mine.id);
      expect(admitted.usedAt).toBeInstanceOf(Date);
      expect(admitted.usedByDeviceId).toBe(ROBOT);
      expect(lookup.rows[0]?.usedAt).toBeInstanceOf(Date);
    });

    it('only checks, without using the ticket up, when mark_as_used is false', async () => {
      const { service, lookup } = setUp([ticket({})]);
      const checked = await service.validate(check({ markAsUsed: false }), ROBOT);
      expect(checked.usedAt).toBeNull();
      expect(lookup.markCalls).toEqual([]);
    });

    it('refuses a second use with a TICKET_ALREADY_USED conflict and changes nothing', async () => {
      const { service, lookup } = setUp([ticket({})]);
      const admitted = await service.validate(check(), ROBOT);
      const before = snapshot(lookup.rows);
      const error = await failureOf(service.validate(check(), 'another-robot'));
      expect([error.kind, error.code]).toEqual(['conflict', 'TICKET_ALREADY_USED']);
      expect(error.details).toEqual({ ticket_id: admitted.id });
      // The kiosk reads `detail.message` and `detail.right_ticket` on a ticket refusal.
      expect(error.detail).toEqual({
        message: 'This ticket has already been used',
        right_ticket: expect.objectContaining({ id: admitted.id, code: '' }),
      });
      expect(snapshot(lookup.rows)).toBe(before);
    });

    it('admits the robot that used the ticket again within the window, unchanged; not after it', async () => {
      const { service, lookup } = setUp([ticket({})]);
      const admitted = await service.validate(check(), ROBOT);
      const before = snapshot(lookup.rows);
      // the kiosk checks the QR code, then the face, and again while the passenger is at the door
      const again = await service.validate(check({ markAsUsed: false }), ROBOT);
      expect([again.id, again.usedAt]).toEqual([admitted.id, admitted.usedAt]);
      expect(snapshot(lookup.rows)).toBe(before);
      expect(lookup.markCalls).toHaveLength(1);
      const row = lookup.rows[0] as TicketEntity;
      row.usedAt = new Date(Date.now() - REVALIDATION_WINDOW_MS - 1);
      expect((await failureOf(service.validate(check(), ROBOT))).code).toBe('TICKET_ALREADY_USED');
    });

    it('refuses a used ticket even for a check without marking', async () => {
      const { service } = setUp([ticket({ usedAt: new Date('2026-11-22T05:50:00Z') })]);
      const error = await failureOf(service.validate(check({ markAsUsed: false }), ROBOT));
      expect(error.code).toBe('TICKET_ALREADY_USED');
    });

    it('answers TICKET_ALREADY_USED, with the ticket as used, when another robot used it first', async () => {
      const { service, lookup } = setUp([ticket({})]);
      lookup.raceWonBy = randomUUID();
      const error = await failureOf(service.validate(check(), ROBOT));
      expect(error.code).toBe('TICKET_ALREADY_USED');
      expect(error.details).toEqual({ ticket_id: lookup.rows[0]?.id });
      expect(lookup.rows[0]?.usedByDeviceId).toBe(lookup.raceWonBy);
    });

    it("admits the passenger when this robot's parallel check used the ticket first", async () => {
      const { service, lookup } = setUp([ticket({})]);
      lookup.raceWonBy = ROBOT;
      const admitted = await service.validate(check(), ROBOT);
      expect([admitted.id, admitted.usedByDeviceId]).toEqual([lookup.rows[0]?.id, ROBOT]);
    });

    it('prefers an unused ticket when the passenger holds two for the door', async () => {
      const used = ticket({ usedAt: new Date('2026-11-22T05:50:00Z'), placeNumber: 1 });
      const unused = ticket({ placeNumber: 2 });
      const { service } = setUp([used, unused]);
      expect((await service.validate(check(), ROBOT)).id).toBe(unused.id);
    });

    it('matches the departure as an instant, whatever offset the robot sends', async () => {
      const { service } = setUp([ticket({ departureAt: new Date('2026-11-22T06:00:00Z') })]);
      const moscow = parseInstant('2026-11-22T09:00:00+03:00') as Date;
      const admitted = await service.validate(check({ departureAt: moscow }), ROBOT);
      expect(admitted.usedAt).toBeInstanceOf(Date);
    });

    it('names the right wagon in a 400 WRONG_WAGON carrying right_ticket', async () => {
      const mine = ticket({ wagonNumber: 7 });
      const { service, lookup } = setUp([mine]);
      const error = await failureOf(service.validate(check(), ROBOT));
      expect([error.kind, error.code, error.message]).toEqual([
        'invalid_input',
        'WRONG_WAGON',
        'Invalid wagon number',
      ]);
      expect(error.details?.['right_ticket']).toMatchObject({
        id: mine.id,
        wagon_number: 7,
        code: '',
        date: '2026-11-22T06:00:00.000Z',
      });
      expect(error.detail).toEqual({
        message: 'Invalid wagon number',
        right_ticket: error.details?.['right_ticket'],
      });
      expect(lookup.markCalls).toEqual([]);
    });

    it('names a later departure of the same train in a 400 WRONG_DATE', async () => {
      const tomorrow = ticket({ departureAt: new Date('2026-11-23T06:00:00Z') });
      const { service } = setUp([tomorrow]);
      const error = await failureOf(service.validate(check(), ROBOT));
      expect(error.code).toBe('WRONG_DATE');
      expect(error.details?.['right_ticket']).toMatchObject({ id: tomorrow.id });
    });

    it('names another train in a 400 WRONG_TRAIN', async () => {
      const other = ticket({ trainNumber: 2013, stationId: 'SPB' });
      const { service } = setUp([other]);
      const error = await failureOf(service.validate(check(), ROBOT));
      expect(error.code).toBe('WRONG_TRAIN');
      expect(error.details?.['right_ticket']).toMatchObject({ id: other.id, train_number: 2013 });
    });

    it('checks in the seed order: wagon before date before train', async () => {
      const otherWagon = ticket({ wagonNumber: 8 });
      const laterDate = ticket({ departureAt: new Date('2026-11-24T06:00:00Z') });
      const otherTrain = ticket({ trainNumber: 1015 });
      expect(
        (
          await failureOf(
            setUp([otherTrain, laterDate, otherWagon]).service.validate(check(), ROBOT),
          )
        ).code,
      ).toBe('WRONG_WAGON');
      expect(
        (await failureOf(setUp([otherTrain, laterDate]).service.validate(check(), ROBOT))).code,
      ).toBe('WRONG_DATE');
      expect((await failureOf(setUp([otherTrain]).service.validate(check(), ROBOT))).code).toBe(
        'WRONG_TRAIN',
      );
    });

    it('offers the soonest later departure as the right ticket', async () => {
      const later = ticket({ departureAt: new Date('2026-11-25T06:00:00Z') });
      const sooner = ticket({ departureAt: new Date('2026-11-23T06:00:00Z') });
      const error = await failureOf(setUp([later, sooner]).service.validate(check(), ROBOT));
      expect(error.details?.['right_ticket']).toMatchObject({ id: sooner.id });
    });

    it('answers 400 NO_ACTIVE_TICKETS when only past tickets exist', async () => {
      const past = ticket({ trainNumber: 1012, departureAt: new Date('2026-11-01T02:00:00Z') });
      const error = await failureOf(setUp([past]).service.validate(check(), ROBOT));
      expect([error.kind, error.code]).toEqual(['invalid_input', 'NO_ACTIVE_TICKETS']);
    });

    it("never considers another passenger's tickets", async () => {
      const boris = ticket({ userId: BORIS });
      const { service, lookup } = setUp([boris]);
      const error = await failureOf(service.validate(check(), ROBOT));
      expect(error.code).toBe('NO_ACTIVE_TICKETS');
      expect(lookup.rows[0]?.usedAt).toBeNull();
    });

    it('passes the face service errors through and changes nothing', async () => {
      const unavailable = new DomainError('unavailable', 'FACE_SERVICE_UNAVAILABLE', 'down');
      const { service, lookup } = setUp([ticket({})], async () => {
        throw unavailable;
      });
      expect(await failureOf(service.validate(check(), ROBOT))).toBe(unavailable);
      expect(lookup.markCalls).toEqual([]);
    });

    it('uses the face when both face and code are sent', async () => {
      const borisTicket = ticket({ userId: BORIS, code: 'boris-code' });
      const { service, identify } = setUp([borisTicket], async () => ANNA);
      const error = await failureOf(service.validate(check({ code: 'boris-code' }), ROBOT));
      expect(identify).toHaveBeenCalledTimes(1);
      expect(error.code).toBe('NO_ACTIVE_TICKETS');
    });
  });

  describe('by QR code', () => {
    const byCode = (code: string, overrides: Partial<TicketCheck> = {}): TicketCheck =>
      check({ face: undefined, code, ...overrides });

    it('admits the holder of the code for this door, once', async () => {
      const mine = ticket({ code: 'secret-1' });
      const { service, identify } = setUp([mine]);
      expect((await service.validate(byCode('secret-1'), ROBOT)).id).toBe(mine.id);
      expect(identify).not.toHaveBeenCalled();
      const error = await failureOf(service.validate(byCode('secret-1'), 'another-robot'));
      expect([error.kind, error.code]).toEqual(['conflict', 'TICKET_ALREADY_USED']);
    });

    it.each([
      ['an unknown code', 'nope', {}],
      ['the code at another wagon', 'secret-1', { wagonNumber: 6 }],
      [
        'the code on another departure',
        'secret-1',
        { departureAt: new Date('2026-11-22T10:00:00Z') },
      ],
      ['the code at another station', 'secret-1', { stationId: 'SPB' }],
    ])('refuses %s with 403 INVALID_TICKET_CODE', async (_, code, overrides) => {
      const { service, lookup } = setUp([ticket({ code: 'secret-1' })]);
      const error = await failureOf(service.validate(byCode(code, overrides), ROBOT));
      expect([error.kind, error.code]).toEqual(['forbidden', 'INVALID_TICKET_CODE']);
      expect(lookup.markCalls).toEqual([]);
    });
  });

  it('refuses a request with neither face nor code', async () => {
    const error = await failureOf(
      setUp([]).service.validate(check({ face: null, code: null }), ROBOT),
    );
    expect([error.kind, error.code]).toEqual(['invalid_input', 'FACE_OR_CODE_REQUIRED']);
  });
});
