import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { STORES_BY_IDS_MAX } from '@platform/contracts';
import { Repository } from 'typeorm';
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

  /** Ids of the stores bound to the train, in binding order. */
  async storeIdsOf(train: TrainRef, window: PageWindow): Promise<Page<string>> {
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
