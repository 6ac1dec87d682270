import { type QueryRunner } from 'typeorm';
import { type DeliveryStateChangedEvent } from '@platform/contracts';
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
  async rows<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const result = await this.runner.query(sql, parameters, true);
    return result.records as T[];
  }

  /** The number of rows an UPDATE/DELETE touched. */
  async affected(sql: string, parameters: unknown[] = []): Promise<number> {
    const result = await this.runner.query(sql, parameters, true);
    return result.affected ?? 0;
  }
}
