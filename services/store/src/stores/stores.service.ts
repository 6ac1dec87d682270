import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { type StoreSummary } from '@platform/contracts';
import { inTransaction, violatedUniqueConstraint } from '@platform/database';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { DataSource, In, Repository } from 'typeorm';
import { ItemEntity } from '../items/entities/item.entity';
import { toItemView } from '../items/item.view';
import { TaskEntity } from '../tasks/entities/task.entity';
import { type CreateStoreDto, type StoreView, type UpdateStoreDto } from './dto/store.dto';
import { StoreEntity } from './entities/store.entity';
import { storeErrors } from './store.errors';

export function toStoreView(store: StoreEntity, items: ItemEntity[] = []): StoreView {
  return {
    id: store.id,
    name: store.name,
    description: store.description,
    logo_url: store.logoUrl,
    store_type: store.storeType,
    items: items.map(toItemView),
  };
}

function toSummary(store: StoreEntity): StoreSummary {
  return {
    id: store.id,
    name: store.name,
    description: store.description,
    logoUrl: store.logoUrl,
    storeType: store.storeType,
  };
}

/** Stores: the back office's CRUD, the robot's store view and the directory base asks over RPC. */
@Injectable()
export class StoresService {
  constructor(
    @InjectRepository(StoreEntity) private readonly stores: Repository<StoreEntity>,
    @InjectRepository(ItemEntity) private readonly items: Repository<ItemEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** 409 STORE_NAME_TAKEN when the name is taken (the unique constraint decides, race-free). */
  async create(body: CreateStoreDto): Promise<StoreView> {
    try {
      const store = await this.stores.save(
        this.stores.create({
          name: body.name,
          description: body.description ?? '',
          logoUrl: body.logo_url ?? '',
          storeType: body.store_type,
        }),
      );
      return toStoreView(store);
    } catch (error) {
      throw this.nameTakenOr(error);
    }
  }

  async list(window: PageWindow): Promise<Page<StoreView>> {
    const [rows, total] = await this.stores.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: window.skip,
      take: window.take,
    });
    return pageOf(
      rows.map((store) => toStoreView(store)),
      total,
      window,
    );
  }

  /** The store with every item, oldest item first; 404 STORE_NOT_FOUND. */
  async withItems(id: string): Promise<StoreView> {
    const store = await this.stores.findOneBy({ id });
    if (!store) throw storeErrors.notFound();
    const items = await this.items.find({
      where: { storeId: id },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return toStoreView(store, items);
  }

  async update(id: string, body: UpdateStoreDto): Promise<StoreView> {
    const changes: Partial<StoreEntity> = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.logo_url !== undefined ? { logoUrl: body.logo_url } : {}),
      ...(body.store_type !== undefined ? { storeType: body.store_type } : {}),
    };
    if (Object.keys(changes).length > 0) {
      try {
        const result = await this.stores.update({ id }, changes);
        if (!result.affected) throw storeErrors.notFound();
      } catch (error) {
        throw this.nameTakenOr(error);
      }
    }
    return this.withItems(id);
  }

  /**
   * Deletes the store with its items, purchases and tasks, unless it still has open kitchen
   * tasks: 409 STORE_HAS_OPEN_TASKS. The store row is locked first (FOR UPDATE), so a purchase
   * that is being written meanwhile either committed its task before the check (and is seen by
   * it) or waits for the delete and then fails its foreign key (404 STORE_NOT_FOUND).
   */
  async remove(id: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const store = await manager
        .getRepository(StoreEntity)
        .createQueryBuilder('store')
        .setLock('pessimistic_write')
        .where('store.id = :id', { id })
        .getOne();
      if (!store) throw storeErrors.notFound();
      const openTasks = await manager.getRepository(TaskEntity).countBy({
        storeId: id,
        isReady: false,
      });
      if (openTasks > 0) throw storeErrors.hasOpenTasks(openTasks);
      await manager.getRepository(StoreEntity).delete({ id });
    });
  }

  /** The existing stores among `ids`, in the order asked, each once, without items. */
  async byIds(ids: readonly string[]): Promise<StoreEntity[]> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    if (wanted.length === 0) return [];
    const rows = await this.stores.findBy({ id: In(wanted) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return wanted.flatMap((id) => byId.get(id) ?? []);
  }

  async summariesByIds(ids: readonly string[]): Promise<StoreSummary[]> {
    return (await this.byIds(ids)).map(toSummary);
  }

  /** 404 STORE_NOT_FOUND unless the store exists. */
  async assertExists(id: string): Promise<void> {
    if (!(await this.stores.existsBy({ id }))) throw storeErrors.notFound();
  }

  private nameTakenOr(error: unknown): unknown {
    return violatedUniqueConstraint(error) === 'stores_name_key' ? storeErrors.nameTaken() : error;
  }
}
