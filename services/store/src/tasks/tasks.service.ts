import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { Repository } from 'typeorm';
import { type PurchaseView } from '../purchases/dto/purchase.dto';
import { PurchaseViews } from '../purchases/purchase-views';
import { StoresService } from '../stores/stores.service';
import { type TaskView } from './dto/task.dto';
import { TaskEntity } from './entities/task.entity';
import { TaskEventsPublisher } from './task-events.publisher';
import { taskErrors } from './task.errors';

function toTaskView(task: TaskEntity, purchase: PurchaseView | undefined): TaskView {
  if (!purchase) throw new Error(`task ${task.id} without its purchase`);
  return {
    id: task.id,
    purchase,
    store_id: task.storeId,
    user_id: task.userId,
    is_ready: task.isReady,
    ready_at: task.readyAt?.toISOString() ?? null,
    date: task.createdAt.toISOString(),
    additional_data: task.additionalData,
  };
}

/** A store's kitchen queue. Every query names the store: another store's task is a 404. */
@Injectable()
export class TasksService {
  constructor(
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    private readonly purchases: PurchaseViews,
    private readonly events: TaskEventsPublisher,
    private readonly stores: StoresService,
  ) {}

  /**
   * Open tasks (or all), oldest first. A deleted store's terminal hears `STORE_NOT_FOUND`, as on
   * its item routes, not an empty queue.
   */
  async list(storeId: string, window: PageWindow, alsoReady: boolean): Promise<Page<TaskView>> {
    await this.stores.assertExists(storeId);
    const [rows, total] = await this.tasks.findAndCount({
      where: alsoReady ? { storeId } : { storeId, isReady: false },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: window.skip,
      take: window.take,
    });
    const purchases = await this.purchases.ofTasks(rows);
    return pageOf(
      rows.map((task) => toTaskView(task, purchases.get(task.purchaseId))),
      total,
      window,
    );
  }

  async get(storeId: string, taskId: string): Promise<TaskView> {
    const task = await this.tasks.findOneBy({ id: taskId, storeId });
    if (!task) throw taskErrors.notFound();
    const purchases = await this.purchases.ofTasks([task]);
    return toTaskView(task, purchases.get(task.purchaseId));
  }

  /**
   * Marks the store's own task ready: one conditional UPDATE (only an open task changes, so of
   * two concurrent calls one publishes). Already ready: OK again, nothing published. After the
   * commit, `store.task.ready` goes out.
   */
  async markReady(storeId: string, taskId: string): Promise<void> {
    await this.stores.assertExists(storeId);
    const [row] = (await this.tasks.query(
      `WITH updated AS (
         UPDATE store.tasks SET is_ready = true, ready_at = clock_timestamp()
          WHERE id = $1 AND store_id = $2 AND NOT is_ready
          RETURNING purchase_id, user_id, ready_at
       ) SELECT * FROM updated`,
      [taskId, storeId],
    )) as { purchase_id: string; user_id: string; ready_at: Date }[];
    if (!row) {
      if (await this.tasks.existsBy({ id: taskId, storeId })) return;
      throw taskErrors.notFound();
    }
    await this.events.taskReady({
      id: taskId,
      storeId,
      purchaseId: row.purchase_id,
      userId: row.user_id,
      readyAt: row.ready_at,
    });
  }
}
