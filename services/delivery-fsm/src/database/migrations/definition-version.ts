import { type QueryRunner } from 'typeorm';
import { seedDefinition, type SeedDefinition } from './1795600000000-DeliveryDomain';

/**
 * A new definition version: seeded from its frozen snapshot, and every cell of `previous` moved to
 * it. A cell lives as long as its locker and would never see a fix otherwise; each version keeps
 * every cell state and transition of the one before (definition-versions.spec.ts), so a cell is in
 * a valid state with the same ways out. Orders and trips keep the version they started under.
 */
export async function upgradeDefinition(
  queryRunner: QueryRunner,
  seed: SeedDefinition,
  previous: string,
): Promise<void> {
  await seedDefinition(queryRunner, seed);
  await queryRunner.query(
    `UPDATE delivery.cells SET definition_version = $1 WHERE definition_version = $2`,
    [seed.version, previous],
  );
}

/** The reverse; refused by the foreign keys while orders or trips run under `version`. */
export async function downgradeDefinition(
  queryRunner: QueryRunner,
  version: string,
  previous: string,
): Promise<void> {
  await queryRunner.query(
    `UPDATE delivery.cells SET definition_version = $1 WHERE definition_version = $2`,
    [previous, version],
  );
  for (const table of ['fsm_transitions', 'fsm_actions', 'fsm_states', 'fsm_definitions']) {
    const column = table === 'fsm_definitions' ? 'version' : 'definition_version';
    await queryRunner.query(`DELETE FROM delivery.${table} WHERE ${column} = $1`, [version]);
  }
}
