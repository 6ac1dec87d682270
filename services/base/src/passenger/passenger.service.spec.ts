import { type UserPrincipal } from '@platform/auth';
import { type FaceClient } from '../common/remote/face.client';
import { type NewTicket, type TicketsService } from '../tickets/tickets.service';
import { type UsersService } from '../users/users.service';
import { type BuyTicketDto } from './dto/passenger.dto';
import { FACE_ENROLMENTS_PER_PASSENGER_PER_HOUR, PassengerService } from './passenger.service';
import { FACE_ERROR_CODES } from '@platform/contracts';
import { DomainError } from '@platform/errors';
import { InMemoryRateLimiter } from '@platform/rate-limit/testing';
import { failureOf } from '@platform/testing';

const ANNA = '11111111-1111-4111-8111-111111111111';
const principal: UserPrincipal = {
  type: 'user',
  subject: 'kc-anna',
  username: 'anna',
  name: 'Anna Petrova',
  email: 'anna@example.org',
  roles: ['passenger'],
};
const NOW = new Date('2026-11-22T12:00:00Z');

function setUp(faceExists = true, enrol: () => Promise<void> = async () => undefined) {
  const issued: NewTicket[] = [];
  const users = {
    resolvePassenger: jest.fn(async () => ({ id: ANNA })),
  } as unknown as UsersService;
  const tickets = {
    issue: jest.fn(async (input: NewTicket) => {
      issued.push(input);
      return { ticket: { ...input, id: 't-1' }, code: 'code' };
    }),
  } as unknown as TicketsService;
  const faces = {
    enroll: jest.fn(enrol),
    delete: jest.fn(async () => true),
    exists: jest.fn(async () => faceExists),
  };
  const service = new PassengerService(
    users,
    tickets,
    faces as unknown as FaceClient,
    new InMemoryRateLimiter(),
  );
  return { service, issued, users, faces };
}

function order(change: Partial<BuyTicketDto> = {}): BuyTicketDto {
  return {
    wagon_number: 3,
    place_number: 7,
    station_id: 'MOSCOW',
    destination_id: 'SPB',
    date: '2026-11-23T13:25:00+03:00',
    ...change,
  };
}

describe('PassengerService', () => {
  it("issues the caller's ticket on the scheduled departure", async () => {
    const { service, issued } = setUp();
    await service.buy(principal, order(), NOW);
    expect(issued).toEqual([
      {
        userId: ANNA,
        trainNumber: 1014,
        wagonNumber: 3,
        placeNumber: 7,
        stationId: 'MOSCOW',
        destinationId: 'SPB',
        departureAt: new Date('2026-11-23T10:00:00Z'),
      },
    ]);
  });

  it.each<[string, Partial<BuyTicketDto>, string]>([
    ['station = destination', { destination_id: 'MOSCOW' }, 'SAME_STATION_AND_DESTINATION'],
    ['an hour without a train', { date: '2026-11-23T11:00:00+03:00' }, 'INVALID_TIME'],
    ['a departure already gone', { date: '2026-11-22T13:00:00+03:00' }, 'DEPARTURE_IN_PAST'],
  ])('refuses %s with 400 and issues nothing', async (_, change, code) => {
    const { service, issued } = setUp();
    const error = await failureOf(service.buy(principal, order(change), NOW));
    expect([error.kind, error.code]).toEqual(['invalid_input', code]);
    expect(issued).toEqual([]);
  });

  it('enrols a face, or removes it for null', async () => {
    const { service, faces } = setUp();
    await service.setFace(principal, 'aGVsbG8=');
    await service.setFace(principal, null);
    expect(faces.enroll).toHaveBeenCalledWith(ANNA, 'aGVsbG8=');
    expect(faces.delete).toHaveBeenCalledWith(ANNA);
  });

  it("refuses someone else's face without saying how close it came", async () => {
    const refusal = new DomainError('conflict', FACE_ERROR_CODES.alreadyEnrolled, 'taken', {
      similarity: 0.963,
    });
    const { service } = setUp(false, () => Promise.reject(refusal));
    const error = await failureOf(service.setFace(principal, 'aGVsbG8='));
    expect([error.kind, error.code, error.details]).toEqual([
      'conflict',
      FACE_ERROR_CODES.alreadyEnrolled,
      undefined,
    ]);
  });

  it('counts face photos per passenger and hour (429 past the limit); removing is not counted', async () => {
    const { service, faces } = setUp();
    for (let photo = 0; photo < FACE_ENROLMENTS_PER_PASSENGER_PER_HOUR; photo += 1) {
      await service.setFace(principal, 'aGVsbG8=');
      await service.setFace(principal, null);
    }
    const error = await failureOf(service.setFace(principal, 'aGVsbG8='));
    expect([error.kind, error.code]).toEqual(['rate_limited', 'RATE_LIMITED']);
    expect(faces.enroll).toHaveBeenCalledTimes(FACE_ENROLMENTS_PER_PASSENGER_PER_HOUR);
    await service.setFace(principal, null);
  });

  it('answers 404 FACE_NOT_FOUND when no face is enrolled', async () => {
    await expect(setUp(true).service.assertFaceEnrolled(principal)).resolves.toBeUndefined();
    const error = await failureOf(setUp(false).service.assertFaceEnrolled(principal));
    expect([error.kind, error.code]).toEqual(['not_found', 'FACE_NOT_FOUND']);
  });
});
