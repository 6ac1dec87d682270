import { DomainError, errorCatalog } from '@platform/errors';
import { type TicketView } from './dto/ticket.view';

/** Every error the tickets feature (issuing, listing, validation at the door) answers with. */
const ticketError = errorCatalog({
  TICKET_NOT_FOUND: 'not_found',
  SEAT_TAKEN: 'conflict',
  FACE_OR_CODE_REQUIRED: 'invalid_input',
  WRONG_WAGON: 'invalid_input',
  WRONG_DATE: 'invalid_input',
  WRONG_TRAIN: 'invalid_input',
  NO_ACTIVE_TICKETS: 'invalid_input',
  NOT_BOARDED: 'invalid_input',
  INVALID_TICKET_CODE: 'forbidden',
  TICKET_ALREADY_USED: 'conflict',
});

/** Which ticket of the passenger would have been right, and why this one is not. */
const WRONG_TICKET_MESSAGES = {
  WRONG_WAGON: 'Invalid wagon number',
  WRONG_DATE: 'Invalid date',
  WRONG_TRAIN: 'Invalid train number',
} as const;

export type WrongTicketCode = keyof typeof WRONG_TICKET_MESSAGES;

export const ticketErrors = {
  notFound: () => ticketError('TICKET_NOT_FOUND', 'Ticket not found'),
  seatTaken: () => ticketError('SEAT_TAKEN', 'This seat is already taken on this departure'),
  faceOrCodeRequired: () =>
    ticketError('FACE_OR_CODE_REQUIRED', 'Send either face (a camera frame) or code (the QR code)'),
  /** The seed's `detail: {message, right_ticket}`, which the kiosk reads; also in `details`. */
  wrongTicket: (code: WrongTicketCode, rightTicket: TicketView) => {
    const message = WRONG_TICKET_MESSAGES[code];
    return ticketError(
      code,
      message,
      { right_ticket: rightTicket },
      { detail: { message, right_ticket: rightTicket } },
    );
  },
  noActiveTickets: () => ticketError('NO_ACTIVE_TICKETS', 'User has no active tickets'),
  /**
   * No used ticket for the departure asked about: a 400, which the kiosk's destination screen
   * reads as "nothing to show" (it raises on any other status, a 404 included).
   */
  notBoarded: () =>
    ticketError('NOT_BOARDED', 'The passenger has not boarded this departure with a ticket'),
  /** 403, as the robot client expects (the seed answered 401, as if the robot were not logged in). */
  invalidCode: () => ticketError('INVALID_TICKET_CODE', 'Invalid ticket code'),
  /**
   * A ticket opens once. Shaped like the wrong-ticket answers (`detail.message`, and the ticket
   * itself as `right_ticket`), so the kiosk shows it as it shows them.
   */
  alreadyUsed: (ticket: TicketView) => {
    const message = 'This ticket has already been used';
    return ticketError(
      'TICKET_ALREADY_USED',
      message,
      { ticket_id: ticket.id },
      { detail: { message, right_ticket: ticket } },
    );
  },
};

/**
 * The passenger whose ticket a refusal shows (`detail.right_ticket` of `wrongTicket` and
 * `alreadyUsed`), if the error is such a refusal.
 */
export function passengerOfRefusal(error: unknown): string | undefined {
  if (!(error instanceof DomainError) || typeof error.detail !== 'object') return undefined;
  const rightTicket = error.detail['right_ticket'] as Partial<TicketView> | undefined;
  return typeof rightTicket?.user_id === 'string' ? rightTicket.user_id : undefined;
}
