import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DomainError } from '@platform/errors';
import { type DataSource } from 'typeorm';
import { DeliveryConfig } from '../config/service.config';
import { deliveryErrors } from '../fsm/delivery.errors';
import { LockerSignals } from '../fsm/locker-signals';
import { type TransitionContext } from '../fsm/transition-context';
import { TransitionEngine } from '../fsm/transition.engine';
import {
  cascadeAction,
  type Actor,
  isDoorOpenState,
  PARCEL_IN,
  PARCEL_OUT,
} from '../state-machine';
import {
  type CommandAckDto,
  type CommandAckView,
  type LockerCommandsView,
} from './locker-device.dto';
import {
  cellActionsFor,
  contradictsPurpose,
  isSensorReport,
  FINAL_RESULTS,
  type OpeningPurpose,
} from './locker-protocol';

/** How often a waiting long-poll re-reads the queue (commands queued by another replica). */
const POLL_INTERVAL_MS = 500;

/**
 * The locker controller's side of the hardware protocol (docs/api/delivery.md):
 *
 * 1. `GET /locker/commands?wait_seconds=N` long-polls the locker's queue: pending commands are
 *    claimed (`FOR UPDATE SKIP LOCKED`, status `delivered`, logged) and returned at once; with
 *    none, the call waits up to N s (≤ 25, below Nginx's 30 s proxy timeout), woken as soon as a
 *    transaction on this replica queues one, and re-reading every 0.5 s for other replicas.
 * 2. `POST /locker/commands/{id}/ack` reports what the door and sensor saw. Each ack is logged in
 *    the hardware command log and fires the cell action it means (locker-protocol.ts), whose
 *    cascade moves the order. `door_closed` and `failed_to_open` finish the command.
 * 3. No ack at all: the cell's `hardware_no_ack` timeout fires `locker_dont_closed` (error path,
 *    the order to manual intervention) and the command is marked expired.
 */
@Injectable()
export class LockerDeviceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: TransitionEngine,
    private readonly signals: LockerSignals,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
  ) {}

  /** The newest long-poll of each locker on this replica (see poll). */
  private readonly newestPoll = new Map<string, symbol>();

  /**
   * A claimed command is never sent again, so a poll nobody waits for any more must stop claiming,
   * or it takes (and loses) the command the controller's next poll waits for. Such a poll ends
   * before its next claim when `abandoned` aborts (the caller hung up) or when a newer poll of the
   * same locker arrives on this replica: one poll at a time is the protocol, and a controller that
   * polls again has given up on its previous one, whose connection may look alive for a while
   * (a mobile link that dropped without closing the TCP connection).
   */
  async poll(
    lockerId: string,
    waitSeconds: number,
    requestId: string | null,
    abandoned?: AbortSignal,
  ): Promise<LockerCommandsView> {
    const wait = Math.min(waitSeconds, this.config.delivery.lockerPollMaxWaitSeconds) * 1000;
    const deadline = Date.now() + wait;
    const self = Symbol(lockerId);
    this.newestPoll.set(lockerId, self);
    this.signals.notify(lockerId); // an older poll waiting now sees it is superseded at once
    try {
      for (;;) {
        if (abandoned?.aborted || this.newestPoll.get(lockerId) !== self) return { commands: [] };
        const commands = await this.claim(lockerId, requestId);
        const left = deadline - Date.now();
        if (commands.length > 0 || left <= 0) return { commands };
        await Promise.race([
          this.signals.wait(lockerId, Math.min(POLL_INTERVAL_MS, left)),
          sleep(Math.min(POLL_INTERVAL_MS, left)),
        ]);
      }
    } finally {
      if (this.newestPoll.get(lockerId) === self) this.newestPoll.delete(lockerId);
    }
  }

  private async claim(lockerId: string, requestId: string | null) {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `WITH claimed AS (
         UPDATE delivery.locker_commands SET status = 'delivered', delivered_at = now()
          WHERE id IN (SELECT id FROM delivery.locker_commands
                        WHERE locker_id = $1 AND status = 'pending'
                        ORDER BY issued_at FOR UPDATE SKIP LOCKED)
          RETURNING id, cell_id, command, issued_at, locker_id
       ), logged AS (
         INSERT INTO delivery.hardware_command_log (command_id, locker_id, cell_id, command, event, request_id)
         SELECT id, locker_id, cell_id, command, 'delivered', $2 FROM claimed
       )
       SELECT claimed.*, c.code AS cell_code FROM claimed
         JOIN delivery.cells c ON c.id = claimed.cell_id
        ORDER BY claimed.issued_at`,
      [lockerId, requestId],
    );
    return rows.map((r) => ({
      id: r['id'] as string,
      command: r['command'] as string,
      cell_id: r['cell_id'] as string,
      cell_code: r['cell_code'] as string,
      issued_at: (r['issued_at'] as Date).toISOString(),
    }));
  }

  /**
   * One acknowledgement, in one transaction with the transitions it causes. The ack is logged even
   * when it is refused (the refusal is answered after the log row committed).
   */
  async ack(
    actor: Actor,
    commandId: string,
    body: CommandAckDto,
    requestId: string | null,
  ): Promise<CommandAckView> {
    const lockerId = actor.deviceId as string;
    const outcome = await this.engine.run(requestId, {}, async (ctx) => {
      const [command] = await ctx.rows<{ cell_id: string; status: string; command: string }>(
        `SELECT cell_id, status, command FROM delivery.locker_commands WHERE id = $1 AND locker_id = $2`,
        [commandId, lockerId],
      );
      if (!command) return { error: deliveryErrors.commandNotFound() as DomainError };
      const cell = await this.engine.lockCellForUpdate(ctx, command.cell_id);
      // Re-read under the cell's lock: a timeout may have expired the command meanwhile.
      const [current] = await ctx.rows<{ status: string }>(
        `SELECT status FROM delivery.locker_commands WHERE id = $1 FOR UPDATE`,
        [commandId],
      );
      await ctx.affected(
        `INSERT INTO delivery.hardware_command_log (command_id, locker_id, cell_id, command, event, result, request_id)
         VALUES ($1, $2, $3, $4, 'ack', $5, $6)`,
        [commandId, lockerId, command.cell_id, command.command, body.result, requestId],
      );
      if (!cell) return { error: deliveryErrors.cellNotFound() };
      if (current?.status === 'done' || current?.status === 'expired') {
        return { error: deliveryErrors.commandClosed(current.status) };
      }
      const holder = await this.engine.holderOf(ctx, cell.id);
      const purpose = holder ? await this.purposeOf(ctx, holder) : undefined;
      // null and absent alike: a controller without a parcel sensor.
      const parcelPresent = body.parcel_present ?? undefined;
      const candidates = cellActionsFor(body.result, holder?.side, parcelPresent, purpose);
      let action: string | null = null;
      let cellState = cell.state;
      if (candidates.length > 0) {
        const accepted = cascadeAction(
          this.engine.definitionOf(cell),
          'cell',
          cell.state,
          candidates,
        );
        if (accepted !== undefined) {
          action = accepted;
          const fired = await this.engine.fireOn(ctx, cell, { action, actor, cause: 'hardware' });
          cellState = fired.toState;
        } else if (!isSensorReport(body.result) || !isDoorOpenState(cell.state)) {
          return { error: deliveryErrors.resultNotApplicable(body.result, cell.state) };
        }
        // Else a sensor report the open cell does not move on (the same one again, or one after
        // another): nothing changes, the door-closed report decides what the cell holds.
      }
      if (holder && contradictsPurpose(body.result, parcelPresent, purpose)) {
        await this.engine.requestInterventionIfAllowed(ctx, holder.orderId, actor);
      }
      const final = FINAL_RESULTS.includes(body.result);
      const [updated] = await ctx.rows<{ status: string }>(
        `UPDATE delivery.locker_commands
            SET last_result = $2,
                status = CASE WHEN $3::boolean THEN 'done' ELSE status END,
                closed_at = CASE WHEN $3::boolean THEN coalesce(closed_at, now()) ELSE closed_at END
          WHERE id = $1 RETURNING status`,
        [commandId, body.result, final],
      );
      return {
        view: {
          command_id: commandId,
          status: updated?.status ?? 'done',
          cell_action: action,
          cell_state: cellState,
        },
      };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.view;
  }

  /**
   * What the cell was opened for, from the state of the order holding it: the cascade of a
   * parcel put in (PARCEL_IN) or taken out (PARCEL_OUT) is what it accepts next. The order's row
   * is locked already (lockCellForUpdate takes the holder's before the cell's), so its state is
   * the one the cell's cascade will meet.
   */
  private async purposeOf(
    ctx: TransitionContext,
    holder: { orderId: string; side: 'source' | 'dest' },
  ): Promise<OpeningPurpose> {
    const order = await this.engine.lock(ctx, 'order', holder.orderId);
    if (!order) return undefined;
    const definition = this.engine.definitionOf(order);
    const accepts = (effect: typeof PARCEL_IN) =>
      cascadeAction(
        definition,
        'order',
        order.state,
        holder.side === 'source' ? effect.whenSource : effect.whenDest,
      ) !== undefined;
    if (accepts(PARCEL_IN)) return 'deposit';
    if (accepts(PARCEL_OUT)) return 'withdraw';
    return undefined;
  }
}
