/**
 * Lengths and ranges shared by the migration's columns and the DTOs that fill them: a value the
 * DTO accepts always fits its column (the seed accepted 255 characters into varchar(60) and 500'd).
 */
export const LIMITS = {
  userName: 256,
  email: 256,
  keycloakSubject: 255,
  engineerLogin: 60,
  passwordMin: 8,
  passwordMax: 256,
  authCardKey: 256,
  stationId: 60,
  destinationId: 60,
  placeName: 256,
  placeDescription: 1024,
  logoUrl: 256,
  ticketCode: 256,
  dateText: 64,
  /** Postgres `integer`. */
  int32Max: 2_147_483_647,
} as const;
