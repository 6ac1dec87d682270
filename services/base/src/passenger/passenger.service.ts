import { Injectable } from '@nestjs/common';
import { type UserPrincipal } from '@platform/auth';
import { FACE_ERROR_CODES } from '@platform/contracts';
import { DomainError } from '@platform/errors';
import { RateLimiter } from '@platform/rate-limit';
import { toInstant } from '../common/instant';
import { type Page, type PageWindow } from '@platform/http';
import { FaceClient } from '../common/remote/face.client';
import { type TicketView } from '../tickets/dto/ticket.view';
import { type TicketEntity } from '../tickets/entities/ticket.entity';
import { type IssuedTicket, TicketsService } from '../tickets/tickets.service';
import { type UserEntity } from '../users/entities/user.entity';
import { passengerIdentityOf, UsersService } from '../users/users.service';
import { type BuyTicketDto } from './dto/passenger.dto';
import { scheduledDeparture } from './train-schedule';
import { passengerErrors } from './passenger.errors';

/** Face enrolments (photos sent, refused or not) a passenger may try per hour. */
export const FACE_ENROLMENTS_PER_PASSENGER_PER_HOUR = 10;

/**
 * The passenger website: a Keycloak account acts on its own users row (made on its first call),
 * never on anyone else's.
 */
@Injectable()
export class PassengerService {
  constructor(
    private readonly users: UsersService,
    private readonly tickets: TicketsService,
    private readonly faces: FaceClient,
    private readonly limiter: RateLimiter,
  ) {}

  me(principal: UserPrincipal): Promise<UserEntity> {
    return this.users.resolvePassenger(passengerIdentityOf(principal));
  }

  async myTickets(principal: UserPrincipal, window: PageWindow): Promise<Page<TicketView>> {
    const user = await this.me(principal);
    return this.tickets.listOfUser(user.id, window);
  }

  async myLatestTicket(principal: UserPrincipal): Promise<TicketEntity> {
    const user = await this.me(principal);
    return this.tickets.latestOfUser(user.id);
  }

  /**
   * Buys a seat: the train follows from the boarding station and the Moscow hour; the departure
   * must be ahead, station and destination must differ, 409 when the seat is sold.
   */
  async buy(
    principal: UserPrincipal,
    order: BuyTicketDto,
    now = new Date(),
  ): Promise<IssuedTicket> {
    if (order.station_id === order.destination_id) {
      throw passengerErrors.sameStationAndDestination();
    }
    const { trainNumber, departureAt } = scheduledDeparture(
      order.station_id,
      toInstant(order.date, 'date'),
    );
    if (departureAt.getTime() <= now.getTime()) {
      throw passengerErrors.departureInPast();
    }
    const user = await this.me(principal);
    return this.tickets.issue({
      userId: user.id,
      trainNumber,
      wagonNumber: order.wagon_number,
      placeNumber: order.place_number,
      stationId: order.station_id,
      destinationId: order.destination_id,
      departureAt,
    });
  }

  /**
   * Enrols (or replaces) the passenger's face; null or absent removes it.
   *
   * A face someone else enrolled is refused (it would be identified as them), which tells the
   * passenger that the photo's person is enrolled: robot-platform.md §15.1.12 lists the seed's
   * open version of this as a weakness. Here the refusal carries no similarity score, and a
   * passenger may try {@link FACE_ENROLMENTS_PER_PASSENGER_PER_HOUR} photos an hour (429 after),
   * enough to retake a photo, too few to search the enrolled faces with a photo collection.
   */
  async setFace(principal: UserPrincipal, face: string | null | undefined): Promise<void> {
    const user = await this.me(principal);
    if (!face) {
      await this.faces.delete(user.id);
      return;
    }
    await this.limiter.check(
      [
        {
          key: `passenger:face-enrolment:${user.id}`,
          limit: FACE_ENROLMENTS_PER_PASSENGER_PER_HOUR,
        },
      ],
      60 * 60 * 1000,
    );
    try {
      await this.faces.enroll(user.id, face);
    } catch (error) {
      if (error instanceof DomainError && error.code === FACE_ERROR_CODES.alreadyEnrolled) {
        throw new DomainError(error.kind, error.code, error.message);
      }
      throw error;
    }
  }

  /** Resolves when the passenger has a face enrolled; 404 FACE_NOT_FOUND otherwise. */
  async assertFaceEnrolled(principal: UserPrincipal): Promise<void> {
    const user = await this.me(principal);
    if (!(await this.faces.exists(user.id))) {
      throw passengerErrors.faceNotFound();
    }
  }
}
