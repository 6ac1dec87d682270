import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { STORES_BY_IDS_MAX } from '@platform/contracts';
import { DomainError } from '@platform/errors';
import { In, Repository } from 'typeorm';
import { violatedUniqueConstraint } from '@platform/database';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { StoreDirectoryClient } from '../common/remote/store-directory.client';
import { type StoreView } from './dto/train.dto';
import { TrainStoreBindingEntity } from './entities/train-store-binding.entity';
import { type TrainRef } from './train-ref';
import { trainStoreErrors } from './train-store.errors';

/** Which stores serve which train on which day; the stores themselves live in the store service. */
@Injectable()
export class TrainStoresService {
  private readonly logger = new Logger('TrainStores');

  constructor(
    @InjectRepository(TrainStoreBindingEntity)
    private readonly bindings: Repository<TrainStoreBindingEntity>,
    private readonly stores: StoreDirectoryClient,
  ) {}

  /**
   * Binds a store to a train. The store must exist in the store service (404 STORE_NOT_FOUND;
   * 503 STORE_SERVICE_UNAVAILABLE when it does not answer); 409 when already bound.
   */
  async bind(storeId: string, train: TrainRef): Promise<void> {
    const found = await this.stores.storesByIds([storeId]);
    if (!found.some((store) => store.id.toLowerCase() === storeId.toLowerCase())) {
      throw trainStoreErrors.storeNotFound();
    }
    try {
      await this.bindings.insert({
        storeId,
        trainNumber: train.trainNumber,
        trainDate: train.trainDate,
      });
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'train_store_bindings_key') {
        throw trainStoreErrors.bindingExists();
      }
      throw error;
    }
  }

  async unbind(storeId: string, train: TrainRef): Promise<void> {
    const result = await this.bindings.delete({
      storeId,
      trainNumber: train.trainNumber,
      trainDate: train.trainDate,
    });
    if (!result.affected) {
      throw trainStoreErrors.bindingNotFound();
    }
  }

  /** Ids of the stores bound to the train, in binding order (bindings of deleted stores dropped). */
  async storeIdsOf(train: TrainRef, window: PageWindow): Promise<Page<string>> {
    await this.forgetDeletedStores(train);
    const [rows, total] = await this.bindings.findAndCount({
      where: { trainNumber: train.trainNumber, trainDate: train.trainDate },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: window.skip,
      take: window.take,
    });
    return pageOf(
      rows.map((row) => row.storeId),
      total,
      window,
    );
  }

  /**
   * Deleting a store in the store service leaves its bindings here (no transaction spans the two
   * services), and an id list would hand the kiosk stores that answer 404. So a list of the
   * train's ids first deletes the bindings whose store the store service no longer knows; store
   * ids are never reused, so such a binding can only be stale. When the store service does not
   * answer, the bindings are listed as they are (the list names stores by id only) and kept.
   */
  private async forgetDeletedStores(train: TrainRef): Promise<void> {
    const where = { trainNumber: train.trainNumber, trainDate: train.trainDate };
    const bound = (await this.bindings.find({ select: { storeId: true }, where })).map(
      (row) => row.storeId,
    );
    const existing = new Set<string>();
    try {
      for (let start = 0; start < bound.length; start += STORES_BY_IDS_MAX) {
        const chunk = bound.slice(start, start + STORES_BY_IDS_MAX);
        for (const store of await this.stores.storesByIds(chunk)) {
          existing.add(store.id.toLowerCase());
        }
      }
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'unavailable') {
        this.logger.warn({ err: error }, 'bindings of deleted stores kept: store did not answer');
        return;
      }
      throw error;
    }
    const gone = bound.filter((storeId) => !existing.has(storeId.toLowerCase()));
    if (gone.length > 0) await this.bindings.delete({ ...where, storeId: In(gone) });
  }

  /**
   * The stores serving the train (the first 50 bound), as the robot shows them. No binding: an
   * empty list, without asking the store service (the seed 500'd).
   */
  async storesOf(train: TrainRef): Promise<StoreView[]> {
    const rows = await this.bindings.find({
      where: { trainNumber: train.trainNumber, trainDate: train.trainDate },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: STORES_BY_IDS_MAX,
    });
    const stores = await this.stores.storesByIds(rows.map((row) => row.storeId));
    return stores.map((store) => ({
      id: store.id,
      name: store.name,
      description: store.description,
      logo_url: store.logoUrl,
      store_type: store.storeType,
      items: [],
    }));
  }
}
