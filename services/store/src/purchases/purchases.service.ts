import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type DomainError } from '@platform/errors';
import { BaseUsersClient, passengerNotIdentified } from '../common/remote/base-users.client';
import { TaskEventsPublisher } from '../tasks/task-events.publisher';
import { type PurchaseCreationDto, type PurchaseView } from './dto/purchase.dto';
import { purchaseErrors } from './purchase.errors';
import { type IdempotencyClaim, PurchaseRepository } from './purchase.repository';
import { mergeLines, type PurchaseOrder, requestHash } from './purchase-request';

/** How often expired Idempotency-Keys are deleted (deleting is idempotent on every replica). */
const KEY_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** Who is buying: the calling device (a robot, or the store's terminal), and the store. */
export interface PurchaseCaller {
  deviceId: string;
  storeId: string;
  /** A robot buys only for the passenger it identified last (BaseUsersClient.robotMayActFor). */
  robot: boolean;
}

/**
 * A purchase for a passenger, from a robot or a store terminal. The passenger must exist in base
 * (asked over RPC before anything is written: 404 USER_NOT_FOUND, 503 BASE_SERVICE_UNAVAILABLE);
 * the stock, the purchase, its task and the Idempotency-Key are one transaction
 * (PurchaseRepository); `store.task.ready` is published after the commit when the task is ready.
 */
@Injectable()
export class PurchasesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Purchases');
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly purchases: PurchaseRepository,
    private readonly users: BaseUsersClient,
    private readonly events: TaskEventsPublisher,
  ) {}

  async purchase(
    caller: PurchaseCaller,
    body: PurchaseCreationDto,
    idempotencyKey: string | undefined,
  ): Promise<PurchaseView> {
    const order: PurchaseOrder = {
      storeId: caller.storeId.toLowerCase(),
      userId: body.user_id.toLowerCase(),
      lines: mergeLines(body.items),
      isDefaultReady: body.is_default_ready,
      additionalData: body.additional_data ?? {},
    };
    const claim: IdempotencyClaim | undefined =
      idempotencyKey === undefined
        ? undefined
        : { callerId: caller.deviceId, key: idempotencyKey, requestHash: requestHash(order) };
    await this.assertMayBuyFor(caller, order.userId, claim);
    const outcome = await this.purchases.purchase(order, claim);
    if (outcome.taskReadyAt) {
      void this.events.taskReady({
        id: outcome.purchase.task_id,
        storeId: order.storeId,
        purchaseId: outcome.purchase.id,
        userId: order.userId,
        readyAt: outcome.taskReadyAt,
      });
    }
    return outcome.purchase;
  }

  /**
   * 404 USER_NOT_FOUND, 403 PASSENGER_NOT_IDENTIFIED (a robot's passenger it did not identify
   * last), or 503 when base does not answer, unless the request is the retry of a purchase
   * already made under its Idempotency-Key: the retry gets the first answer, as promised for 24 h,
   * even once the passenger is deleted or base is down (the check is asked first because a retry
   * is rare and a purchase must not wait for an extra read).
   */
  private async assertMayBuyFor(
    caller: PurchaseCaller,
    userId: string,
    claim: IdempotencyClaim | undefined,
  ): Promise<void> {
    let refusal: unknown;
    try {
      refusal = await this.refusalFor(caller, userId);
      if (refusal === null) return;
    } catch (error) {
      refusal = error;
    }
    if (claim !== undefined && (await this.purchases.isRetry(claim))) return;
    throw refusal;
  }

  private async refusalFor(caller: PurchaseCaller, userId: string): Promise<DomainError | null> {
    if (!caller.robot) {
      return (await this.users.exists(userId)) ? null : purchaseErrors.userNotFound();
    }
    switch (await this.users.robotMayActFor(caller.deviceId, userId)) {
      case 'yes':
        return null;
      case 'unknown':
        return purchaseErrors.userNotFound();
      case 'not-served':
        return passengerNotIdentified();
    }
  }

  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => {
      this.purchases.sweepExpiredKeys().then(
        (deleted) => {
          if (deleted > 0) this.logger.log({ deleted }, 'expired idempotency keys deleted');
        },
        (error: unknown) => this.logger.warn({ err: error }, 'idempotency key sweep failed'),
      );
    }, KEY_SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }
}
