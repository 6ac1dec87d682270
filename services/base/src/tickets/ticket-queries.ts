import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import { TicketEntity } from './entities/ticket.entity';

/** Where a robot stands: which train, wagon and departure, at which station. */
export interface DoorContext {
  stationId: string;
  trainNumber: number;
  wagonNumber: number;
  departureAt: Date;
}

/** The lookups of ticket validation, in the order the decision asks them (see TicketValidationService). */
export interface TicketLookup {
  /** A ticket for exactly this door, unused ones first. */
  forDoor(userId: string, door: DoorContext): Promise<TicketEntity | null>;
  /** Same train, departure and station, any wagon. */
  onTrainAnyWagon(userId: string, door: DoorContext): Promise<TicketEntity | null>;
  /** Same train and station, departing at or after the door's departure (soonest first). */
  onTrainLater(userId: string, door: DoorContext): Promise<TicketEntity | null>;
  /** Any ticket of the user departing at or after the door's departure (soonest first). */
  anyLater(userId: string, from: Date): Promise<TicketEntity | null>;
  /** The ticket with this code hash for exactly this door. */
  byCodeForDoor(codeHash: string, door: DoorContext): Promise<TicketEntity | null>;
  /**
   * Marks the ticket used, atomically: only if it is still unused. Null when it was already used
   * (a concurrent validation won), in which case nothing changed.
   */
  markUsed(ticketId: string, deviceId: string | null): Promise<TicketEntity | null>;
  /** The ticket as it is now (after a lost {@link markUsed}: as the winner left it). */
  byId(ticketId: string): Promise<TicketEntity | null>;
}

/** TicketLookup on Postgres. Departures are compared as instants (timestamptz = timestamptz). */
@Injectable()
export class TicketQueries implements TicketLookup {
  constructor(@InjectRepository(TicketEntity) private readonly tickets: Repository<TicketEntity>) {}

  forDoor(userId: string, door: DoorContext): Promise<TicketEntity | null> {
    return this.ofUser(userId)
      .andWhere('ticket.trainNumber = :trainNumber', { trainNumber: door.trainNumber })
      .andWhere('ticket.wagonNumber = :wagonNumber', { wagonNumber: door.wagonNumber })
      .andWhere('ticket.departureAt = :departureAt', { departureAt: door.departureAt })
      .andWhere('ticket.stationId = :stationId', { stationId: door.stationId })
      .orderBy('ticket.usedAt', 'ASC', 'NULLS FIRST')
      .addOrderBy('ticket.createdAt', 'ASC')
      .getOne();
  }

  onTrainAnyWagon(userId: string, door: DoorContext): Promise<TicketEntity | null> {
    return this.ofUser(userId)
      .andWhere('ticket.trainNumber = :trainNumber', { trainNumber: door.trainNumber })
      .andWhere('ticket.departureAt = :departureAt', { departureAt: door.departureAt })
      .andWhere('ticket.stationId = :stationId', { stationId: door.stationId })
      .orderBy('ticket.usedAt', 'ASC', 'NULLS FIRST')
      .addOrderBy('ticket.createdAt', 'ASC')
      .getOne();
  }

  onTrainLater(userId: string, door: DoorContext): Promise<TicketEntity | null> {
    return this.ofUser(userId)
      .andWhere('ticket.trainNumber = :trainNumber', { trainNumber: door.trainNumber })
      .andWhere('ticket.stationId = :stationId', { stationId: door.stationId })
      .andWhere('ticket.departureAt >= :from', { from: door.departureAt })
      .orderBy('ticket.departureAt', 'ASC')
      .addOrderBy('ticket.createdAt', 'ASC')
      .getOne();
  }

  anyLater(userId: string, from: Date): Promise<TicketEntity | null> {
    return this.ofUser(userId)
      .andWhere('ticket.departureAt >= :from', { from })
      .orderBy('ticket.departureAt', 'ASC')
      .addOrderBy('ticket.createdAt', 'ASC')
      .getOne();
  }

  byCodeForDoor(codeHash: string, door: DoorContext): Promise<TicketEntity | null> {
    return this.tickets
      .createQueryBuilder('ticket')
      .where('ticket.codeHash = :codeHash', { codeHash })
      .andWhere('ticket.trainNumber = :trainNumber', { trainNumber: door.trainNumber })
      .andWhere('ticket.wagonNumber = :wagonNumber', { wagonNumber: door.wagonNumber })
      .andWhere('ticket.departureAt = :departureAt', { departureAt: door.departureAt })
      .andWhere('ticket.stationId = :stationId', { stationId: door.stationId })
      .getOne();
  }

  async markUsed(ticketId: string, deviceId: string | null): Promise<TicketEntity | null> {
    const result = await this.tickets
      .createQueryBuilder()
      .update(TicketEntity)
      .set({ usedAt: () => 'now()', usedByDeviceId: deviceId })
      .where('id = :ticketId', { ticketId })
      .andWhere('used_at IS NULL')
      .execute();
    if (!result.affected) {
      return null;
    }
    return this.byId(ticketId);
  }

  byId(ticketId: string): Promise<TicketEntity | null> {
    return this.tickets.findOneBy({ id: ticketId });
  }

  private ofUser(userId: string): SelectQueryBuilder<TicketEntity> {
    return this.tickets.createQueryBuilder('ticket').where('ticket.userId = :userId', { userId });
  }
}
