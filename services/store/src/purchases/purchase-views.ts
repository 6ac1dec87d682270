import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { type PurchaseView } from './dto/purchase.dto';
import { PurchaseLineEntity } from './entities/purchase-line.entity';
import { PurchaseEntity } from './entities/purchase.entity';

type PurchaseFacts = Pick<PurchaseEntity, 'id' | 'storeId' | 'userId' | 'totalPenny' | 'createdAt'>;
type LineFacts = Pick<PurchaseLineEntity, 'itemId' | 'count' | 'unitPricePenny'>;

/** The seed's Purchase shape: the one place it is built, for new, replayed and listed purchases. */
export function purchaseViewOf(
  purchase: PurchaseFacts,
  lines: readonly LineFacts[],
  taskId: string,
): PurchaseView {
  return {
    id: purchase.id,
    store_id: purchase.storeId,
    user_id: purchase.userId,
    items: lines.map((line) => ({
      item_id: line.itemId,
      count: line.count,
      unit_price_penny: line.unitPricePenny,
    })),
    total_penny: purchase.totalPenny,
    task_id: taskId,
    date: purchase.createdAt.toISOString(),
  };
}

/** Reads purchases back as the seed's Purchase shape (two queries for any number of them). */
@Injectable()
export class PurchaseViews {
  constructor(
    @InjectRepository(PurchaseEntity) private readonly purchases: Repository<PurchaseEntity>,
    @InjectRepository(PurchaseLineEntity) private readonly lines: Repository<PurchaseLineEntity>,
  ) {}

  /** Purchase id → view, for the purchases of these tasks. */
  async ofTasks(
    tasks: readonly { id: string; purchaseId: string }[],
  ): Promise<Map<string, PurchaseView>> {
    if (tasks.length === 0) return new Map();
    const ids = tasks.map((task) => task.purchaseId);
    const [purchases, lines] = await Promise.all([
      this.purchases.findBy({ id: In(ids) }),
      this.lines.find({ where: { purchaseId: In(ids) }, order: { itemId: 'ASC' } }),
    ]);
    const taskOf = new Map(tasks.map((task) => [task.purchaseId, task.id]));
    return new Map(
      purchases.map((purchase) => [
        purchase.id,
        purchaseViewOf(
          purchase,
          lines.filter((line) => line.purchaseId === purchase.id),
          taskOf.get(purchase.id) ?? '',
        ),
      ]),
    );
  }
}
