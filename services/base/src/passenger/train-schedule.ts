import { moscowInstant, moscowWallClock } from '../common/instant';
import { passengerErrors } from './passenger.errors';

/** The two stations the seed sells tickets between. */
export const STATIONS = ['MOSCOW', 'SPB'] as const;
export type Station = (typeof STATIONS)[number];

/** Departure hours (Moscow time) and the train leaving at each, by boarding station. */
const DEPARTURES: Readonly<Record<Station, ReadonlyArray<readonly [hour: number, train: number]>>> =
  {
    MOSCOW: [
      [5, 1012],
      [9, 1013],
      [13, 1014],
      [17, 1015],
    ],
    SPB: [
      [5, 2012],
      [9, 2013],
      [13, 2014],
      [17, 2015],
    ],
  };

export interface ScheduledDeparture {
  trainNumber: number;
  /** The departure instant: the hour's full hour, Moscow time. */
  departureAt: Date;
}

/**
 * The seed's hour → train rule, read on a Moscow wall clock whatever offset the client sent (the
 * seed read the hour in the client's offset, so `06:00Z` and `09:00+03:00`, the same instant, got
 * different answers). The departure is the full hour, so every purchase of one departure names
 * the same instant and seats collide as they should. 400 INVALID_TIME for any other hour.
 */
export function scheduledDeparture(station: Station, requested: Date): ScheduledDeparture {
  const wall = moscowWallClock(requested);
  const departure = DEPARTURES[station].find(([hour]) => hour === wall.hour);
  if (!departure) {
    const hours = DEPARTURES[station].map(([hour]) => `${String(hour).padStart(2, '0')}:00`);
    throw passengerErrors.invalidTime(hours);
  }
  return {
    trainNumber: departure[1],
    departureAt: moscowInstant({ ...wall, minute: 0, second: 0 }),
  };
}
