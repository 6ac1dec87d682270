import { runMigrationsCommand } from '@platform/runtime';
import { loadServiceConfig } from './config/service.config';
import { databaseDefinition } from './database/database-definition';

void runMigrationsCommand(loadServiceConfig, databaseDefinition);
