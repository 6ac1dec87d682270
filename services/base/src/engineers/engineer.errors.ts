import { errorCatalog } from '@platform/errors';

/** Every error the engineers feature answers with. */
const engineerError = errorCatalog({
  ENGINEER_NOT_FOUND: 'not_found',
  ENGINEER_LOGIN_TAKEN: 'conflict',
  AUTH_CARD_TAKEN: 'conflict',
  ACCESS_DENIED: 'forbidden',
  INVALID_CREDENTIALS: 'unauthenticated',
});

export const engineerErrors = {
  notFound: () => engineerError('ENGINEER_NOT_FOUND', 'Engineer not found'),
  loginTaken: () =>
    engineerError('ENGINEER_LOGIN_TAKEN', 'An engineer with this login already exists'),
  cardTaken: () =>
    engineerError('AUTH_CARD_TAKEN', 'This card already belongs to another engineer'),
  /** Unknown card or no ROBOT_ADMIN: one answer, whatever the reason. */
  accessDenied: () => engineerError('ACCESS_DENIED', 'Access denied'),
  /** Unknown login or wrong password: one answer, no oracle. */
  invalidCredentials: () => engineerError('INVALID_CREDENTIALS', 'Invalid credentials'),
};
