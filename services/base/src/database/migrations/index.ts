import { BaseDomain1795390539941 } from './1795390539941-BaseDomain';

/** Every migration of this service, oldest first. Committed migrations are never edited. */
export const migrations: NewableFunction[] = [BaseDomain1795390539941];
