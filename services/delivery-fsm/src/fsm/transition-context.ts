import { type DeliveryStateChangedEvent } from '@platform/contracts';
import { queryAffected, queryRows } from '@platform/database';
import { type QueryRunner } from 'typeorm';
import { type TimeoutJob } from '../state-machine';

/** Why a transition ran: the audit log's `cause`. */
export type TransitionCause = 'request' | 'cascade' | 'timeout' | 'creation' | 'pin' | 'hardware';

/** Extra input some effects need when staff fire them (which courier or driver to assign). */
export interface ActionParams {
  readonly courierUserId?: string;
  readonly driverUserId?: string;
}

/**
 * One transaction's worth of state-machine work: the query runner holding the transaction, and
 * what must happen after COMMIT (timeouts to schedule and cancel, events, locker wake-ups).
 */
export class TransitionContext {
  readonly schedule: TimeoutJob[] = [];
  readonly cancel: string[] = [];
  readonly events: DeliveryStateChangedEvent[] = [];
  readonly wakeLockers = new Set<string>();

  constructor(
    readonly runner: QueryRunner,
    readonly requestId: string | null,
    readonly params: ActionParams = {},
  ) {}

  /** Rows of a statement run in this transaction. */
  rows<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return queryRows<T>(this.runner, sql, parameters);
  }

  /** The number of rows an UPDATE/DELETE touched. */
  affected(sql: string, parameters: unknown[] = []): Promise<number> {
    return queryAffected(this.runner, sql, parameters);
  }
}
