import { errorCatalog } from '@platform/errors';

/** Every error the stores feature answers with. */
const storeError = errorCatalog({
  STORE_NOT_FOUND: 'not_found',
  STORE_NAME_TAKEN: 'conflict',
  STORE_HAS_OPEN_TASKS: 'conflict',
});

export const storeErrors = {
  notFound: () => storeError('STORE_NOT_FOUND', 'Store not found'),
  nameTaken: () => storeError('STORE_NAME_TAKEN', 'Store with this name already exists'),
  hasOpenTasks: (openTasks: number) =>
    storeError(
      'STORE_HAS_OPEN_TASKS',
      'The store still has open kitchen tasks: mark them ready before deleting it',
      { open_tasks: openTasks },
    ),
};
