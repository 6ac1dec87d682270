import { type MigrationInterface, type QueryRunner } from 'typeorm';
import definition from '../seed/fsm-definition-1.3.0.json';
import { downgradeDefinition, upgradeDefinition } from './definition-version';

/**
 * State-machine definition 1.3.0 (docs/delivery-fsm.md, "Version 1.3.0"), seeded from its frozen
 * snapshot; cells move up from 1.2.0 (definition-version.ts). Hand-written; never change what
 * it does once merged.
 */
export class DeliveryDefinition1301796800000000 implements MigrationInterface {
  // Explicit, so a minified build keeps the name TypeORM records in the migrations table.
  name = 'DeliveryDefinition1301796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await upgradeDefinition(queryRunner, definition, '1.2.0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await downgradeDefinition(queryRunner, definition.version, '1.2.0');
  }
}
