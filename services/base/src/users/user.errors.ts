import { errorCatalog } from '@platform/errors';

/** Every error the users feature answers with. */
const userError = errorCatalog({
  USER_NOT_FOUND: 'not_found',
  KEYCLOAK_LINK_EXISTS: 'conflict',
  KEYCLOAK_LINK_NOT_FOUND: 'not_found',
  PASSENGER_LINK_FAILED: 'internal',
});

export const userErrors = {
  notFound: () => userError('USER_NOT_FOUND', 'User not found'),
  /** The account is linked to another user, or the user to another account. */
  linkExists: (otherSide: 'account' | 'user') =>
    userError(
      'KEYCLOAK_LINK_EXISTS',
      otherSide === 'account'
        ? 'This Keycloak account is linked to another user'
        : 'This user is linked to another Keycloak account',
    ),
  linkNotFound: () =>
    userError('KEYCLOAK_LINK_NOT_FOUND', 'This Keycloak account is not linked to this user'),
  passengerLinkFailed: () => userError('PASSENGER_LINK_FAILED', 'Could not link the account'),
};
