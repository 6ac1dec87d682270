import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { DeliveryConfig } from '../config/service.config';
import { deliveryErrors } from '../fsm/delivery.errors';
import { type TransitionView, transitionView } from '../fsm/views';
import { type Actor, type Role } from '../state-machine';
import { TransitionEngine } from '../fsm/transition.engine';
import { type PinView } from '../orders/orders.dto';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: string,
  keylen: number,
) => Promise<Buffer>;

/** Which PIN an order's state allows, to whom, and what entering it fires. */
const PIN_STAYS = [
  {
    state: 'order_client_reserved_post1_and_post2',
    side: 'source' as const,
    holder: 'sender_user_id',
    role: 'client' as Role,
    action: 'order_client_deliv_post1',
  },
  {
    state: 'order_parcel_confirmed_post2',
    side: 'dest' as const,
    holder: 'recipient_user_id',
    role: 'recipient' as Role,
    action: 'order_pickup_poluchatel',
  },
];

export async function hashPin(pin: string, salt: string): Promise<string> {
  return (await scrypt(pin, salt, 32)).toString('hex');
}

/**
 * One-time 6-digit PINs for self-service at a locker's keypad: the sender drops the parcel at
 * locker A, the recipient collects it at locker B. A PIN comes from the CSPRNG (`randomInt`), is
 * shown once and stored as an scrypt hash with its own salt, expires (`PIN_TTL_SECONDS`), locks
 * after `PIN_MAX_ATTEMPTS` wrong tries, and dies with the order's stay (any transition revokes it).
 * Entering it fires the order action as the PIN's holder, in one transaction with the PIN's use.
 */
@Injectable()
export class PinsService {
  constructor(
    private readonly engine: TransitionEngine,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
  ) {}

  async issue(orderId: string, actor: Actor, requestId: string | null): Promise<PinView> {
    const settings = this.config.delivery;
    return this.engine.run(requestId, {}, async (ctx) => {
      const order = await this.engine.lock(ctx, 'order', orderId);
      if (!order) throw deliveryErrors.orderNotFound();
      const stay = PIN_STAYS.find(
        (s) =>
          s.state === order.state &&
          (s.side === 'source' || order.row['delivery_type'] === 'self') &&
          order.row[s.holder] === actor.userId,
      );
      if (!stay) {
        const involved = [order.row['sender_user_id'], order.row['recipient_user_id']];
        if (!involved.includes(actor.userId)) throw deliveryErrors.orderNotFound();
        throw deliveryErrors.pinNotIssuable(order.state);
      }
      const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const salt = randomBytes(16).toString('hex');
      await ctx.affected(
        `UPDATE delivery.pins SET status = 'revoked'
          WHERE order_id = $1 AND side = $2 AND status = 'active'`,
        [orderId, stay.side],
      );
      const [row] = await ctx.rows<{ expires_at: Date }>(
        `INSERT INTO delivery.pins (order_id, side, holder_user_id, salt, pin_hash, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING expires_at`,
        [orderId, stay.side, actor.userId, salt, await hashPin(pin, salt), settings.pinTtlSeconds],
      );
      return {
        pin,
        order_id: orderId,
        locker_id: order.row[
          stay.side === 'source' ? 'source_locker_id' : 'dest_locker_id'
        ] as string,
        side: stay.side,
        expires_at: (row?.expires_at as Date).toISOString(),
        max_attempts: settings.pinMaxAttempts,
      };
    });
  }

  /**
   * A PIN typed at a locker's keypad, sent by its controller. A wrong try is counted and committed
   * before the refusal is answered (so a refusal cannot roll the count back).
   */
  async enter(
    lockerId: string,
    orderId: string,
    pin: string,
    requestId: string | null,
  ): Promise<TransitionView> {
    const max = this.config.delivery.pinMaxAttempts;
    const outcome = await this.engine.run(requestId, {}, async (ctx) => {
      const order = await this.engine.lock(ctx, 'order', orderId);
      if (!order) return { error: deliveryErrors.pinInvalid(0) };
      const [active] = await ctx.rows<{
        id: string;
        side: 'source' | 'dest';
        holder_user_id: string;
        salt: string;
        pin_hash: string;
        attempts: number;
        expired: boolean;
      }>(
        `SELECT id, side, holder_user_id, salt, pin_hash, attempts, expires_at <= now() AS expired
           FROM delivery.pins WHERE order_id = $1 AND status = 'active' FOR UPDATE`,
        [orderId],
      );
      const lockerOfSide =
        active && order.row[active.side === 'source' ? 'source_locker_id' : 'dest_locker_id'];
      if (!active || lockerOfSide !== lockerId) {
        // "Locked" only when the order's latest PIN is: an older locked one said "too many wrong
        // attempts" to the replay of a fresh PIN already used.
        const [latest] = await ctx.rows<{ status: string }>(
          `SELECT status FROM delivery.pins WHERE order_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
          [orderId],
        );
        return {
          error:
            latest?.status === 'locked' ? deliveryErrors.pinLocked() : deliveryErrors.pinInvalid(0),
        };
      }
      if (active.expired) {
        await ctx.affected(`UPDATE delivery.pins SET status = 'revoked' WHERE id = $1`, [
          active.id,
        ]);
        return { error: deliveryErrors.pinExpired() };
      }
      const expected = Buffer.from(active.pin_hash, 'hex');
      const given = Buffer.from(await hashPin(pin, active.salt), 'hex');
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        const attempts = active.attempts + 1;
        await ctx.affected(
          `UPDATE delivery.pins SET attempts = $2::int,
                  status = CASE WHEN $2::int >= $3::int THEN 'locked' ELSE status END
            WHERE id = $1`,
          [active.id, attempts, max],
        );
        return {
          error:
            attempts >= max
              ? deliveryErrors.pinLocked()
              : deliveryErrors.pinInvalid(max - attempts),
        };
      }
      await ctx.affected(
        `UPDATE delivery.pins SET status = 'used', used_at = now() WHERE id = $1`,
        [active.id],
      );
      const stay = PIN_STAYS.find((s) => s.side === active.side);
      const fired = await this.engine.fireOn(ctx, order, {
        action: stay?.action as string,
        actor: { roles: [stay?.role as Role], userId: active.holder_user_id },
        cause: 'pin',
      });
      return { fired };
    });
    if ('error' in outcome) throw outcome.error;
    const { fired } = outcome;
    return transitionView(fired);
  }
}
