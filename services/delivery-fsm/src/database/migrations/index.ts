import { DeliveryDomain1795600000000 } from './1795600000000-DeliveryDomain';
import { DeliveryDefinition1101796600000000 } from './1796600000000-DeliveryDefinition110';
import { DeliveryDefinition1201796700000000 } from './1796700000000-DeliveryDefinition120';
import { DeliveryDefinition1301796800000000 } from './1796800000000-DeliveryDefinition130';

/** Every migration of this service, oldest first. Committed migrations are never edited. */
export const migrations: NewableFunction[] = [
  DeliveryDomain1795600000000,
  DeliveryDefinition1101796600000000,
  DeliveryDefinition1201796700000000,
  DeliveryDefinition1301796800000000,
];
