import { describeSchemaDrift } from '@platform/testing/integration';
import { databaseDefinition } from './database-definition';

describeSchemaDrift('base', databaseDefinition);
