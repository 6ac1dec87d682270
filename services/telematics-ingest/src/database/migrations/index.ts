import { TelematicsDomain1795600000000 } from './1795600000000-TelematicsDomain';

/** Every migration of this service, oldest first. Committed migrations are never edited. */
export const migrations: NewableFunction[] = [TelematicsDomain1795600000000];
