import { errorCatalog } from '@platform/errors';

/** Every error the train-store bindings feature answers with. */
const trainStoreError = errorCatalog({
  TRAIN_REQUIRED: 'invalid_input',
  STORE_NOT_FOUND: 'not_found',
  BINDING_ALREADY_EXISTS: 'conflict',
  BINDING_NOT_FOUND: 'not_found',
});

export const trainStoreErrors = {
  trainRequired: () =>
    trainStoreError(
      'TRAIN_REQUIRED',
      'train_number and train_date are required (query string or JSON body)',
    ),
  storeNotFound: () => trainStoreError('STORE_NOT_FOUND', 'Store id not found'),
  bindingExists: () => trainStoreError('BINDING_ALREADY_EXISTS', 'Binding already exists'),
  bindingNotFound: () =>
    trainStoreError('BINDING_NOT_FOUND', 'This store is not bound to this train'),
};
