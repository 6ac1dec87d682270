import { errorCatalog } from '@platform/errors';

export const telemetryError = errorCatalog({
  DEVICE_NOT_FOUND: 'not_found',
  NO_POSITION_YET: 'not_found',
  INVALID_CURSOR: 'invalid_input',
  INVALID_TIME_RANGE: 'invalid_input',
  API_KEY_NOT_FOUND: 'not_found',
  INVALID_API_KEY: 'unauthenticated',
});
