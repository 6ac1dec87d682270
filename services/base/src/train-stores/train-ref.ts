import { toTrainDate } from '../common/instant';
import { trainStoreErrors } from './train-store.errors';

/** A train on its departure day. */
export interface TrainRef {
  trainNumber: number;
  /** `YYYY-MM-DD`, Moscow calendar. */
  trainDate: string;
}

/** What the DTOs let through: @IsOptional passes null as well as a missing field. */
interface PartialTrainRef {
  train_number?: number | null | undefined;
  train_date?: string | null | undefined;
}

/**
 * The train named by the query string or, as in the seed, by the body of a GET/DELETE: each
 * field from the query if present, else from the body (null counts as missing). 400 when either
 * is missing.
 */
export function trainRefOf(query: PartialTrainRef, body: PartialTrainRef | undefined): TrainRef {
  const trainNumber = query.train_number ?? body?.train_number;
  const trainDate = query.train_date ?? body?.train_date;
  if (
    trainNumber === undefined ||
    trainNumber === null ||
    trainDate === undefined ||
    trainDate === null
  ) {
    throw trainStoreErrors.trainRequired();
  }
  return { trainNumber, trainDate: toTrainDate(trainDate, 'train_date') };
}
