import { errorCatalog } from '@platform/errors';

/** Every error of the passenger website's own rules. */
const passengerError = errorCatalog({
  SAME_STATION_AND_DESTINATION: 'invalid_input',
  DEPARTURE_IN_PAST: 'invalid_input',
  INVALID_TIME: 'invalid_input',
  FACE_NOT_FOUND: 'not_found',
});

export const passengerErrors = {
  sameStationAndDestination: () =>
    passengerError('SAME_STATION_AND_DESTINATION', 'Station and destination must differ'),
  departureInPast: () => passengerError('DEPARTURE_IN_PAST', 'This train has already left'),
  /** `hours`: the departures of the station, `HH:00`. */
  invalidTime: (hours: readonly string[]) =>
    passengerError('INVALID_TIME', `Invalid time: trains leave at ${hours.join(', ')} Moscow time`),
  faceNotFound: () => passengerError('FACE_NOT_FOUND', 'Face not found'),
};
