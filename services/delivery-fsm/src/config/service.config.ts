import { parseEnv, PlatformConfig, type PlatformEnv, platformEnvSchema } from '@platform/config';
import { z } from 'zod';
import { type TimeoutDurations } from '../state-machine';

const ms = (fallback: number) =>
  z.coerce.number().int().min(1).max(2_147_483_647).default(fallback);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const deliveryEnvSchema = platformEnvSchema.extend({
  /** State-machine timeouts (docs/delivery-fsm.md); short ones only in tests. */
  FSM_TIMEOUT_RESERVATION_UNUSED_MS: ms(24 * HOUR),
  FSM_TIMEOUT_COURIER_NO_PICKUP_MS: ms(2 * HOUR),
  FSM_TIMEOUT_RECIPIENT_NO_COLLECT_MS: ms(72 * HOUR),
  FSM_TIMEOUT_COURIER_NO_HANDOVER_MS: ms(12 * HOUR),
  FSM_TIMEOUT_RECIPIENT_NO_CONFIRM_MS: ms(72 * HOUR),
  FSM_TIMEOUT_HARDWARE_NO_ACK_MS: ms(2 * MINUTE),
  FSM_TIMEOUT_TRIP_ACTIVATION_AGE_MS: ms(24 * HOUR),
  FSM_TIMEOUT_TRIP_NO_DRIVER_MS: ms(12 * HOUR),
  /** Orders a trip takes before it is activated at once (the reference hard-coded 5). */
  TRIP_CAPACITY: z.coerce.number().int().min(1).max(1000).default(5),
  /** One-time locker PINs: lifetime and wrong attempts before the PIN is locked. */
  PIN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(15 * 60),
  PIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /**
   * Orders a sender (not staff) may have holding a cell at one locker (as A or B) that are not
   * under way (parcel not in locker A yet, or waiting for staff): without a limit one account
   * could reserve every cell of a locker for a day.
   */
  MAX_PENDING_ORDERS_PER_LOCKER: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Longest long-poll of a locker controller; below Nginx's 30 s proxy_read_timeout. */
  LOCKER_POLL_MAX_WAIT_SECONDS: z.coerce.number().int().min(0).max(25).default(25),
  /** Audit and hardware logs older than this are deleted by a repeatable job. */
  LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
});

export interface DeliverySettings {
  readonly durations: TimeoutDurations;
  readonly tripCapacity: number;
  readonly pinTtlSeconds: number;
  readonly pinMaxAttempts: number;
  readonly maxPendingOrdersPerLocker: number;
  readonly lockerPollMaxWaitSeconds: number;
  readonly logRetentionDays: number;
}

/** delivery-fsm's configuration: the platform's settings plus the state machine's. */
export class DeliveryConfig extends PlatformConfig {
  readonly delivery: DeliverySettings;

  constructor(env: PlatformEnv & z.infer<typeof deliveryEnvSchema>) {
    super('delivery-fsm', env);
    this.delivery = Object.freeze({
      durations: Object.freeze({
        reservation_unused: env.FSM_TIMEOUT_RESERVATION_UNUSED_MS,
        courier_no_pickup: env.FSM_TIMEOUT_COURIER_NO_PICKUP_MS,
        recipient_no_collect: env.FSM_TIMEOUT_RECIPIENT_NO_COLLECT_MS,
        courier_no_handover: env.FSM_TIMEOUT_COURIER_NO_HANDOVER_MS,
        recipient_no_confirm: env.FSM_TIMEOUT_RECIPIENT_NO_CONFIRM_MS,
        hardware_no_ack: env.FSM_TIMEOUT_HARDWARE_NO_ACK_MS,
        trip_activation_age: env.FSM_TIMEOUT_TRIP_ACTIVATION_AGE_MS,
        trip_no_driver: env.FSM_TIMEOUT_TRIP_NO_DRIVER_MS,
      }),
      tripCapacity: env.TRIP_CAPACITY,
      pinTtlSeconds: env.PIN_TTL_SECONDS,
      pinMaxAttempts: env.PIN_MAX_ATTEMPTS,
      maxPendingOrdersPerLocker: env.MAX_PENDING_ORDERS_PER_LOCKER,
      lockerPollMaxWaitSeconds: env.LOCKER_POLL_MAX_WAIT_SECONDS,
      logRetentionDays: env.LOG_RETENTION_DAYS,
    });
  }
}

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): DeliveryConfig {
  return Object.freeze(new DeliveryConfig(parseEnv('delivery-fsm', deliveryEnvSchema, env)));
}
