import { type MigrationInterface, type QueryRunner } from 'typeorm';
import definition from '../seed/fsm-definition-1.1.0.json';
import { seedDefinition } from './1795600000000-DeliveryDomain';

/**
 * State-machine definition 1.1.0 (docs/delivery-fsm.md, "Version 1.1.0"), seeded from its frozen
 * snapshot. New orders, trips and cells run under it; orders and trips already under way keep
 * 1.0.0. Cells move to 1.1.0: a cell lives as long as its locker, so it would never see the fixes
 * otherwise, and 1.1.0 keeps every cell state and transition of 1.0.0 as it was (only adds), so a
 * cell is in a valid state with the same ways out under both (definition-versions.spec.ts).
 * Hand-written; never edit it once merged.
 */
export class DeliveryDefinition1101796600000000 implements MigrationInterface {
  // Explicit, so a minified build keeps the name TypeORM records in the migrations table.
  name = 'DeliveryDefinition1101796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await seedDefinition(queryRunner, definition);
    await queryRunner.query(
      `UPDATE delivery.cells SET definition_version = $1 WHERE definition_version = '1.0.0'`,
      [definition.version],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE delivery.cells SET definition_version = '1.0.0' WHERE definition_version = $1`,
      [definition.version],
    );
    // Orders and trips created under 1.1.0 still reference it (foreign keys): down refuses then.
    for (const table of ['fsm_transitions', 'fsm_actions', 'fsm_states', 'fsm_definitions']) {
      const column = table === 'fsm_definitions' ? 'version' : 'definition_version';
      await queryRunner.query(`DELETE FROM delivery.${table} WHERE ${column} = $1`, [
        definition.version,
      ]);
    }
  }
}
