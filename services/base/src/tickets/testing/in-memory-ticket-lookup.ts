import { type TicketEntity } from '../entities/ticket.entity';
import { type DoorContext, type TicketLookup } from '../ticket-queries';

/**
 * For specs: TicketLookup over an array, with the SQL's semantics (instants compared by value;
 * held to them by ticket-lookup.contract.ts). `markCalls` lets a spec see the marking attempts;
 * `raceWonBy` makes each one lose to a concurrent validation by that device (null: none), which
 * marks the ticket first.
 */
export class InMemoryTicketLookup implements TicketLookup {
  readonly markCalls: string[] = [];
  raceWonBy: string | null | undefined = undefined;

  constructor(readonly rows: TicketEntity[]) {}

  async forDoor(userId: string, door: DoorContext): Promise<TicketEntity | null> {
    return this.first(
      (t) => t.userId === userId && sameTrip(t, door) && t.wagonNumber === door.wagonNumber,
      unusedFirst,
    );
  }

  async onTrainAnyWagon(userId: string, door: DoorContext): Promise<TicketEntity | null> {
    return this.first((t) => t.userId === userId && sameTrip(t, door), unusedFirst);
  }

  async onTrainLater(userId: string, door: DoorContext): Promise<TicketEntity | null> {
    return this.first(
      (t) =>
        t.userId === userId &&
        t.trainNumber === door.trainNumber &&
        t.stationId === door.stationId &&
        t.departureAt.getTime() >= door.departureAt.getTime(),
      byDeparture,
    );
  }

  async anyLater(userId: string, from: Date): Promise<TicketEntity | null> {
    return this.first(
      (t) => t.userId === userId && t.departureAt.getTime() >= from.getTime(),
      byDeparture,
    );
  }

  async byCodeForDoor(codeHash: string, door: DoorContext): Promise<TicketEntity | null> {
    return this.first(
      (t) => t.codeHash === codeHash && sameTrip(t, door) && t.wagonNumber === door.wagonNumber,
      byCreation,
    );
  }

  async markUsed(ticketId: string, deviceId: string | null): Promise<TicketEntity | null> {
    this.markCalls.push(ticketId);
    const row = this.rows.find((t) => t.id === ticketId);
    if (row && !row.usedAt && this.raceWonBy !== undefined) {
      row.usedAt = new Date();
      row.usedByDeviceId = this.raceWonBy;
      return null;
    }
    if (!row || row.usedAt) {
      return null;
    }
    row.usedAt = new Date();
    row.usedByDeviceId = deviceId;
    return { ...row };
  }

  async byId(ticketId: string): Promise<TicketEntity | null> {
    return this.first(
      (t) => t.id === ticketId,
      () => 0,
    );
  }

  private first(
    predicate: (t: TicketEntity) => boolean,
    order: (a: TicketEntity, b: TicketEntity) => number,
  ): TicketEntity | null {
    const found = this.rows.filter(predicate).sort(order)[0];
    return found ? { ...found } : null;
  }
}

function sameTrip(t: TicketEntity, door: DoorContext): boolean {
  return (
    t.trainNumber === door.trainNumber &&
    t.stationId === door.stationId &&
    t.departureAt.getTime() === door.departureAt.getTime()
  );
}

const byCreation = (a: TicketEntity, b: TicketEntity): number =>
  a.createdAt.getTime() - b.createdAt.getTime();
/** As TicketQueries' `ORDER BY used_at ASC NULLS FIRST, created_at ASC`. */
const unusedFirst = (a: TicketEntity, b: TicketEntity): number =>
  Number(a.usedAt !== null) - Number(b.usedAt !== null) ||
  (a.usedAt?.getTime() ?? 0) - (b.usedAt?.getTime() ?? 0) ||
  byCreation(a, b);
const byDeparture = (a: TicketEntity, b: TicketEntity): number =>
  a.departureAt.getTime() - b.departureAt.getTime() || byCreation(a, b);
