import { Injectable, Logger } from '@nestjs/common';
import { STORE_EVENTS, type StoreTaskReadyEvent } from '@platform/contracts';
import { RpcClient } from '@platform/messaging';

export interface ReadyTask {
  id: string;
  storeId: string;
  purchaseId: string;
  userId: string;
  readyAt: Date;
}

/**
 * Publishes `store.task.ready` on the Redis transport, after the commit that made the task ready.
 * Pub/sub: a subscriber that is down misses it (nothing is stored or retried), which is why the
 * state can always be read back; a failed publish is logged, never undoes the commit.
 */
@Injectable()
export class TaskEventsPublisher {
  private readonly logger = new Logger('TaskEvents');

  constructor(private readonly rpc: RpcClient) {}

  async taskReady(task: ReadyTask): Promise<void> {
    const event: StoreTaskReadyEvent = {
      taskId: task.id,
      storeId: task.storeId,
      purchaseId: task.purchaseId,
      userId: task.userId,
      readyAt: task.readyAt.toISOString(),
    };
    try {
      await this.rpc.emit(STORE_EVENTS.taskReady, event);
    } catch (error) {
      this.logger.warn(
        { event: 'store.task.ready.unpublished', taskId: task.id, err: error },
        'could not publish store.task.ready',
      );
    }
  }
}
