import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { isForeignKeyViolation, violatedUniqueConstraint } from '@platform/database';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { type TicketView, toTicketView } from './dto/ticket.view';
import { TicketEntity } from './entities/ticket.entity';
import { hashTicketCode, newTicketCode } from './ticket-code';
import { ticketErrors } from './ticket.errors';
import { userErrors } from '../users/user.errors';

export interface NewTicket {
  userId: string;
  trainNumber: number;
  wagonNumber: number;
  placeNumber: number;
  stationId: string;
  destinationId: string;
  departureAt: Date;
}

/** A ticket just issued, with its QR code: the only time the code is known in clear. */
export interface IssuedTicket {
  ticket: TicketEntity;
  code: string;
}

@Injectable()
export class TicketsService {
  constructor(@InjectRepository(TicketEntity) private readonly tickets: Repository<TicketEntity>) {}

  /**
   * Issues a ticket with a fresh CSPRNG code, storing only the code's hash. 404 for an unknown
   * user, 409 SEAT_TAKEN when the seat of that departure is sold (one insert, no check-then-act).
   */
  async issue(input: NewTicket): Promise<IssuedTicket> {
    const code = newTicketCode();
    try {
      const ticket = await this.tickets.save(
        this.tickets.create({
          ...input,
          codeHash: hashTicketCode(code),
          usedAt: null,
          usedByDeviceId: null,
        }),
      );
      return { ticket, code };
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'tickets_seat_key') {
        throw ticketErrors.seatTaken();
      }
      if (isForeignKeyViolation(error)) {
        throw userErrors.notFound();
      }
      throw error;
    }
  }

  /** Every ticket, oldest first, codes withheld. */
  async list(window: PageWindow): Promise<Page<TicketView>> {
    const [rows, total] = await this.tickets.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: window.skip,
      take: window.take,
    });
    return pageOf(
      rows.map((ticket) => toTicketView(ticket)),
      total,
      window,
    );
  }

  /** A passenger's tickets, latest departure first, codes withheld. */
  async listOfUser(userId: string, window: PageWindow): Promise<Page<TicketView>> {
    const [rows, total] = await this.tickets.findAndCount({
      where: { userId },
      order: { departureAt: 'DESC', createdAt: 'DESC', id: 'ASC' },
      skip: window.skip,
      take: window.take,
    });
    return pageOf(
      rows.map((ticket) => toTicketView(ticket)),
      total,
      window,
    );
  }

  /** The passenger's ticket with the latest departure; 404 when they have none. */
  async latestOfUser(userId: string): Promise<TicketEntity> {
    const ticket = await this.tickets.findOne({
      where: { userId },
      order: { departureAt: 'DESC', createdAt: 'DESC' },
    });
    if (!ticket) {
      throw ticketErrors.notFound();
    }
    return ticket;
  }

  async remove(id: string): Promise<void> {
    const result = await this.tickets.delete({ id });
    if (!result.affected) {
      throw ticketErrors.notFound();
    }
  }

  /**
   * The ticket the passenger boarded this train's departure with (a used one); the newest use
   * when there are several (the seed 500'd). 404 when none.
   */
  async boardedTicket(
    userId: string,
    trainNumber: number,
    departureAt: Date,
    orElse: () => Error = ticketErrors.notFound,
  ): Promise<TicketEntity> {
    const ticket = await this.tickets.findOne({
      where: { userId, trainNumber, departureAt, usedAt: Not(IsNull()) },
      order: { usedAt: 'DESC', createdAt: 'DESC' },
    });
    if (!ticket) {
      throw orElse();
    }
    return ticket;
  }
}
