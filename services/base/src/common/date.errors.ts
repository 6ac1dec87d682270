import { errorCatalog } from '@platform/errors';

/** Dates and times on the wire that DTO validation could not already refuse. */
const dateError = errorCatalog({
  INVALID_DATE_TIME: 'invalid_input',
  INVALID_DATE: 'invalid_input',
});

export const dateErrors = {
  invalidDateTime: (field: string) =>
    dateError(
      'INVALID_DATE_TIME',
      `${field} must be an ISO-8601 date-time of the years 1970-9999, e.g. 2026-11-22T09:00:00+03:00`,
    ),
  invalidDate: (field: string) =>
    dateError(
      'INVALID_DATE',
      `${field} must be a date (2026-11-22) or an ISO-8601 date-time of the years 1970-9999`,
    ),
};
