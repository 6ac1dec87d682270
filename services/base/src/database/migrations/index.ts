/** Every migration of this service, oldest first. Committed migrations are never edited. */
export const migrations: NewableFunction[] = [];
