import { Inject, Injectable } from '@nestjs/common';
import { FaceClient } from '../common/remote/face.client';
import { toTicketView } from './dto/ticket.view';
import { type TicketEntity } from './entities/ticket.entity';
import { hashTicketCode } from './ticket-code';
import { type DoorContext, type TicketLookup } from './ticket-queries';
import { ticketErrors } from './ticket.errors';

export const TICKET_LOOKUP = Symbol('TICKET_LOOKUP');

/**
 * How long the robot that used a ticket may see it again and admit it: the kiosk checks the QR
 * code and then the face in the same tick, and checks again every 2 s while the passenger is
 * still at the door. Refusing those would show "wrong ticket" right after the door opened.
 */
export const REVALIDATION_WINDOW_MS = 2 * 60_000;

/** The same robot, moments after it used this ticket: the same boarding, not a second one. */
function isSameBoarding(ticket: TicketEntity, deviceId: string | null): boolean {
  return (
    deviceId !== null &&
    ticket.usedByDeviceId === deviceId &&
    ticket.usedAt !== null &&
    Date.now() - ticket.usedAt.getTime() < REVALIDATION_WINDOW_MS
  );
}

export interface TicketCheck extends DoorContext {
  /** Base64 camera frame: identify the passenger by face. Wins over `code` when both are sent. */
  face?: string | null;
  /** The QR code read from the passenger's ticket. */
  code?: string | null;
  /** Open the door: the ticket is used up (once). */
  markAsUsed: boolean;
}

/**
 * The robot at a wagon door checks a passenger's ticket, by face or by QR code, in the seed's
 * decision order (robot-platform.md §8.1, §8.2), with its defects fixed:
 * - a ticket opens once: a used ticket is refused with 409 TICKET_ALREADY_USED and nothing
 *   changes; marking is a conditional UPDATE, so two robots racing on one ticket cannot both win.
 *   Only the robot that used it, within {@link REVALIDATION_WINDOW_MS}, is answered the ticket
 *   again (the kiosk re-checks the passenger still at its door);
 * - the "wrong wagon / date / train" answers are 400s carrying `right_ticket` in `details` (the
 *   seed crashed serialising them);
 * - departures are compared as instants, whatever offset the robot sends.
 */
@Injectable()
export class TicketValidationService {
  constructor(
    @Inject(TICKET_LOOKUP) private readonly tickets: TicketLookup,
    private readonly faces: FaceClient,
  ) {}

  async validate(check: TicketCheck, deviceId: string | null): Promise<TicketEntity> {
    if (check.face) {
      return this.byFace(check, check.face, deviceId);
    }
    if (check.code) {
      return this.byCode(check, check.code, deviceId);
    }
    throw ticketErrors.faceOrCodeRequired();
  }

  private async byFace(
    check: TicketCheck,
    face: string,
    deviceId: string | null,
  ): Promise<TicketEntity> {
    // 1. Who is it? FACE_NOT_MATCHED (404) / NO_FACE (422) / 503 come from here.
    const userId = await this.faces.identify(face);
    // 2. Their ticket for exactly this door.
    const exact = await this.tickets.forDoor(userId, check);
    if (exact) {
      return this.admit(exact, check.markAsUsed, deviceId);
    }
    // 3. Right train, departure and station, wrong wagon.
    const otherWagon = await this.tickets.onTrainAnyWagon(userId, check);
    if (otherWagon) {
      throw ticketErrors.wrongTicket('WRONG_WAGON', toTicketView(otherWagon));
    }
    // 4. Right train and station, a later departure.
    const laterDeparture = await this.tickets.onTrainLater(userId, check);
    if (laterDeparture) {
      throw ticketErrors.wrongTicket('WRONG_DATE', toTicketView(laterDeparture));
    }
    // 5. Some other train, not yet departed.
    const otherTrain = await this.tickets.anyLater(userId, check.departureAt);
    if (otherTrain) {
      throw ticketErrors.wrongTicket('WRONG_TRAIN', toTicketView(otherTrain));
    }
    // 6. Nothing.
    throw ticketErrors.noActiveTickets();
  }

  private async byCode(
    check: TicketCheck,
    code: string,
    deviceId: string | null,
  ): Promise<TicketEntity> {
    const ticket = await this.tickets.byCodeForDoor(hashTicketCode(code), check);
    if (!ticket) {
      throw ticketErrors.invalidCode();
    }
    return this.admit(ticket, check.markAsUsed, deviceId);
  }

  private async admit(
    ticket: TicketEntity,
    markAsUsed: boolean,
    deviceId: string | null,
  ): Promise<TicketEntity> {
    if (ticket.usedAt) {
      if (isSameBoarding(ticket, deviceId)) return ticket;
      throw ticketErrors.alreadyUsed(toTicketView(ticket));
    }
    if (!markAsUsed) {
      return ticket;
    }
    const used = await this.tickets.markUsed(ticket.id, deviceId);
    if (used) {
      return used;
    }
    // A concurrent check used it first (this one's UPDATE waited for its row lock). The same
    // robot's parallel check (QR and face in one tick) is the same boarding, as above.
    const current = (await this.tickets.byId(ticket.id)) ?? ticket;
    if (isSameBoarding(current, deviceId)) return current;
    throw ticketErrors.alreadyUsed(toTicketView(current));
  }
}
