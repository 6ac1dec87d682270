import { randomUUID } from 'node:crypto';
import { type TicketEntity } from '../entities/ticket.entity';
import { hashTicketCode } from '../ticket-code';
import { type DoorContext, type TicketLookup } from '../ticket-queries';

/** A TicketLookup over exactly these tickets (their users exist). */
export type TicketLookupFactory = (tickets: readonly TicketEntity[]) => Promise<TicketLookup>;

const ANNA = '11111111-1111-4111-8111-111111111111';
const BORIS = '22222222-2222-4222-8222-222222222222';
const ROBOT = '99999999-9999-4999-8999-999999999999';
const DEPARTURE = new Date('2026-11-22T06:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

/** The users the contract's tickets belong to. */
export const TICKET_CONTRACT_USERS = [ANNA, BORIS] as const;

const door: DoorContext = {
  stationId: 'MOSCOW',
  trainNumber: 1013,
  wagonNumber: 5,
  departureAt: DEPARTURE,
};

const daysAfterDeparture = (days: number) => new Date(DEPARTURE.getTime() + days * DAY_MS);

/**
 * What a caller of TicketLookup sees, whatever stores the tickets: run against the in-memory fake
 * of the ticket-validation specs (unit tier) and against TicketQueries on Postgres after base's
 * migrations (integration tier), so the validation decisions tested on the fake hold on the SQL.
 */
export function describeTicketLookupContract(name: string, lookupOver: TicketLookupFactory): void {
  describe(`TicketLookup contract: ${name}`, () => {
    let created = 0;
    let place = 0;

    /** Anna's ticket for the door unless told otherwise; created one second after the last. */
    function ticket(fields: Partial<TicketEntity> & { code?: string } = {}): TicketEntity {
      created += 1;
      place += 1;
      const { code, ...overrides } = fields;
      return {
        id: randomUUID(),
        userId: ANNA,
        trainNumber: door.trainNumber,
        wagonNumber: door.wagonNumber,
        placeNumber: place,
        stationId: door.stationId,
        destinationId: 'SPB',
        departureAt: door.departureAt,
        codeHash: hashTicketCode(code ?? randomUUID()),
        usedAt: null,
        usedByDeviceId: null,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, created)),
        ...overrides,
      };
    }

    const used = (minute: number, fields: Partial<TicketEntity> = {}) =>
      ticket({
        usedAt: new Date(Date.UTC(2026, 10, 22, 5, minute)),
        usedByDeviceId: ROBOT,
        ...fields,
      });

    describe('forDoor', () => {
      it("finds the user's ticket for exactly this door, and nothing near it", async () => {
        const exact = ticket();
        const borisExact = ticket({ userId: BORIS });
        const lookup = await lookupOver([
          ticket({ wagonNumber: 6 }),
          ticket({ departureAt: daysAfterDeparture(1) }),
          ticket({ stationId: 'TVER' }),
          ticket({ trainNumber: 1015 }),
          exact,
          borisExact,
        ]);
        expect((await lookup.forDoor(ANNA, door))?.id).toBe(exact.id);
        expect((await lookup.forDoor(BORIS, door))?.id).toBe(borisExact.id);
        expect(await lookup.forDoor(randomUUID(), door)).toBeNull();
      });

      it('compares the departure as an instant', async () => {
        const exact = ticket();
        const lookup = await lookupOver([exact]);
        const sameInstant = { ...door, departureAt: new Date('2026-11-22T09:00:00+03:00') };
        expect((await lookup.forDoor(ANNA, sameInstant))?.id).toBe(exact.id);
        const aMinuteLater = { ...door, departureAt: new Date('2026-11-22T06:01:00Z') };
        expect(await lookup.forDoor(ANNA, aMinuteLater)).toBeNull();
      });

      it('prefers an unused ticket, even one created later', async () => {
        const unused = ticket({ createdAt: new Date('2026-02-01T00:00:00Z') });
        const lookup = await lookupOver([used(1), unused, used(2)]);
        expect((await lookup.forDoor(ANNA, door))?.id).toBe(unused.id);
      });

      it('among used tickets, gives the one used first', async () => {
        const usedLater = used(30);
        const usedFirst = used(10);
        const lookup = await lookupOver([usedLater, usedFirst]);
        expect((await lookup.forDoor(ANNA, door))?.id).toBe(usedFirst.id);
      });
    });

    describe('onTrainAnyWagon', () => {
      it('finds a ticket of this train, departure and station in any wagon', async () => {
        const otherWagon = ticket({ wagonNumber: 7 });
        const lookup = await lookupOver([
          ticket({ wagonNumber: 7, departureAt: daysAfterDeparture(1) }),
          ticket({ wagonNumber: 7, stationId: 'TVER' }),
          ticket({ wagonNumber: 7, userId: BORIS }),
          otherWagon,
        ]);
        expect((await lookup.onTrainAnyWagon(ANNA, door))?.id).toBe(otherWagon.id);
      });

      it('prefers an unused ticket to an older used one, then the oldest', async () => {
        const usedOldest = used(1, { wagonNumber: 7 });
        const unusedOld = ticket({ wagonNumber: 8 });
        const unusedNew = ticket({ wagonNumber: 9 });
        const lookup = await lookupOver([unusedNew, usedOldest, unusedOld]);
        expect((await lookup.onTrainAnyWagon(ANNA, door))?.id).toBe(unusedOld.id);
      });
    });

    describe('onTrainLater', () => {
      it('finds the soonest departure of this train and station at or after the door', async () => {
        const sameDeparture = ticket({ wagonNumber: 3 });
        const tomorrow = ticket({ departureAt: daysAfterDeparture(1) });
        const lookup = await lookupOver([
          ticket({ departureAt: daysAfterDeparture(-1) }),
          ticket({ departureAt: daysAfterDeparture(2) }),
          ticket({ departureAt: daysAfterDeparture(1), stationId: 'TVER' }),
          ticket({ departureAt: daysAfterDeparture(1), trainNumber: 1015 }),
          tomorrow,
        ]);
        const later = { ...door, departureAt: daysAfterDeparture(0.5) };
        expect((await lookup.onTrainLater(ANNA, later))?.id).toBe(tomorrow.id);
        const lookupWithSame = await lookupOver([tomorrow, sameDeparture]);
        expect((await lookupWithSame.onTrainLater(ANNA, door))?.id).toBe(sameDeparture.id);
      });

      it('orders equal departures by creation', async () => {
        const older = ticket({ departureAt: daysAfterDeparture(1), wagonNumber: 2 });
        const newer = ticket({ departureAt: daysAfterDeparture(1), wagonNumber: 1 });
        const lookup = await lookupOver([newer, older]);
        expect((await lookup.onTrainLater(ANNA, door))?.id).toBe(older.id);
      });
    });

    describe('anyLater', () => {
      it("finds the user's soonest ticket at or after the instant, on any train", async () => {
        const soonest = ticket({ trainNumber: 2013, departureAt: daysAfterDeparture(1) });
        const lookup = await lookupOver([
          ticket({ trainNumber: 1012, departureAt: daysAfterDeparture(-1) }),
          ticket({ trainNumber: 1013, departureAt: daysAfterDeparture(3) }),
          ticket({ userId: BORIS, departureAt: daysAfterDeparture(0.5) }),
          soonest,
        ]);
        expect((await lookup.anyLater(ANNA, daysAfterDeparture(0.5)))?.id).toBe(soonest.id);
        expect(await lookup.anyLater(ANNA, daysAfterDeparture(4))).toBeNull();
      });

      it('includes a departure exactly at the instant', async () => {
        const exact = ticket();
        const lookup = await lookupOver([exact]);
        expect((await lookup.anyLater(ANNA, DEPARTURE))?.id).toBe(exact.id);
      });
    });

    describe('byCodeForDoor', () => {
      it("finds the code's ticket for exactly this door, whoever holds it", async () => {
        const borisTicket = ticket({ userId: BORIS, code: 'secret-1' });
        const lookup = await lookupOver([
          borisTicket,
          ticket({ code: 'secret-2', wagonNumber: 6 }),
        ]);
        expect((await lookup.byCodeForDoor(hashTicketCode('secret-1'), door))?.id).toBe(
          borisTicket.id,
        );
        expect(await lookup.byCodeForDoor(hashTicketCode('secret-2'), door)).toBeNull();
        expect(await lookup.byCodeForDoor(hashTicketCode('unknown'), door)).toBeNull();
        for (const elsewhere of [
          { ...door, wagonNumber: 6 },
          { ...door, stationId: 'TVER' },
          { ...door, trainNumber: 1015 },
          { ...door, departureAt: daysAfterDeparture(1) },
        ]) {
          expect(await lookup.byCodeForDoor(hashTicketCode('secret-1'), elsewhere)).toBeNull();
        }
      });
    });

    describe('markUsed', () => {
      it('uses a ticket up once, recording the device; a second use changes nothing', async () => {
        const mine = ticket();
        const lookup = await lookupOver([mine]);
        const marked = await lookup.markUsed(mine.id, ROBOT);
        expect(marked).toMatchObject({ id: mine.id, usedByDeviceId: ROBOT });
        expect(marked?.usedAt).toBeInstanceOf(Date);
        expect(await lookup.markUsed(mine.id, randomUUID())).toBeNull();
        expect(await lookup.forDoor(ANNA, door)).toMatchObject({
          usedByDeviceId: ROBOT,
          usedAt: marked?.usedAt,
        });
      });

      it('uses a ticket up without a device', async () => {
        const mine = ticket();
        const lookup = await lookupOver([mine]);
        expect(await lookup.markUsed(mine.id, null)).toMatchObject({ usedByDeviceId: null });
      });

      it('answers null for an unknown ticket', async () => {
        const lookup = await lookupOver([ticket()]);
        expect(await lookup.markUsed(randomUUID(), ROBOT)).toBeNull();
      });

      it('lets exactly one of several concurrent uses win', async () => {
        const mine = ticket();
        const lookup = await lookupOver([mine]);
        const results = await Promise.all(
          Array.from({ length: 6 }, () => lookup.markUsed(mine.id, ROBOT)),
        );
        expect(results.filter((result) => result !== null)).toHaveLength(1);
      });

      it('reads a ticket back by id as it now is, null for an unknown one', async () => {
        const mine = ticket();
        const lookup = await lookupOver([mine]);
        await lookup.markUsed(mine.id, ROBOT);
        expect(await lookup.byId(mine.id)).toMatchObject({ id: mine.id, usedByDeviceId: ROBOT });
        expect(await lookup.byId(randomUUID())).toBeNull();
      });

      it('leaves a ticket found before unchanged (a snapshot)', async () => {
        const mine = ticket();
        const lookup = await lookupOver([mine]);
        const found = await lookup.forDoor(ANNA, door);
        await lookup.markUsed(mine.id, ROBOT);
        expect(found?.usedAt).toBeNull();
      });
    });
  });
}
