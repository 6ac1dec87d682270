import { errorCatalog } from '@platform/errors';

/** Every error the tasks feature answers with. */
const taskError = errorCatalog({ TASK_NOT_FOUND: 'not_found' });

export const taskErrors = {
  /** Unknown, or another store's: one answer. */
  notFound: () => taskError('TASK_NOT_FOUND', 'Task not found'),
};
