import { type DeliveryStateChangedEvent } from '@platform/contracts';
import { RunnerTransaction } from '@platform/database';
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
 * One transaction's worth of state-machine work: the READ COMMITTED transaction on its query
 * runner (its BEGIN sent with the first statement), and what must happen after COMMIT (timeouts
 * to schedule and cancel, events, locker wake-ups).
 */
export class TransitionContext {
  readonly transaction: RunnerTransaction;
  readonly schedule: TimeoutJob[] = [];
  readonly cancel: string[] = [];
  readonly events: DeliveryStateChangedEvent[] = [];
  readonly wakeLockers = new Set<string>();

  constructor(
    runner: QueryRunner,
    readonly requestId: string | null,
    readonly params: ActionParams = {},
  ) {
    this.transaction = new RunnerTransaction(runner);
  }

  /** Rows of a statement run in this transaction. */
  rows<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.transaction.rows<T>(sql, parameters);
  }

  /** The number of rows an UPDATE/DELETE touched. */
  affected(sql: string, parameters: unknown[] = []): Promise<number> {
    return this.transaction.affected(sql, parameters);
  }
}
