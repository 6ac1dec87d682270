/** The deployable services of the platform, as they name themselves on the Redis transport. */
export const SERVICE_NAMES = [
  'base',
  'store',
  'face',
  'delivery-fsm',
  'telematics-ingest',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];
