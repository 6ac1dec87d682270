import { errorCatalog } from '@platform/errors';
import { type PlaceKind } from './destinations.service';

/** Every error the destinations feature answers with. */
const destinationError = errorCatalog({
  HOTEL_NOT_FOUND: 'not_found',
  ATTRACTION_NOT_FOUND: 'not_found',
});

export const destinationErrors = {
  placeNotFound: (kind: PlaceKind) =>
    kind === 'hotel'
      ? destinationError('HOTEL_NOT_FOUND', 'Hotel not found')
      : destinationError('ATTRACTION_NOT_FOUND', 'Attraction not found'),
};
