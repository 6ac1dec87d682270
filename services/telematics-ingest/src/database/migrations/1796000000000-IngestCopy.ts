import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What the ingest writer's binary COPY needs (storage/ingest-writer.ts):
 *
 * - `positions_staging`, `vehicle_bus_values_staging`: UNLOGGED copies of the two deduplicated
 *   tables' columns, for batches that may hold resent records. COPY cannot skip a conflicting
 *   row, so such a batch is COPYed here and moved with one `INSERT ... ON CONFLICT DO NOTHING`
 *   in the same transaction, which also deletes what it moved. Tables of the schema, because the
 *   service's role may not create temporary ones; one table serves every concurrent commit (each
 *   transaction sees and deletes only its own uncommitted rows); UNLOGGED, because they are empty
 *   between transactions and need no WAL. A column added to positions or vehicle_bus_values must
 *   be added here too.
 * - `raw_frames.id` draws from its sequence by default, so raw frames can be COPYed without ids.
 */
export class IngestCopy1796000000000 implements MigrationInterface {
  // Explicit, so a minified build keeps the name TypeORM records in the migrations table.
  name = 'IngestCopy1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNLOGGED TABLE telematics.positions_staging (LIKE telematics.positions)`,
    );
    await queryRunner.query(
      `CREATE UNLOGGED TABLE telematics.vehicle_bus_values_staging (LIKE telematics.vehicle_bus_values)`,
    );
    await queryRunner.query(
      `ALTER TABLE telematics.raw_frames ALTER COLUMN id SET DEFAULT nextval('telematics.raw_frames_id_seq')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE telematics.raw_frames ALTER COLUMN id DROP DEFAULT`);
    await queryRunner.query(`DROP TABLE telematics.vehicle_bus_values_staging`);
    await queryRunner.query(`DROP TABLE telematics.positions_staging`);
  }
}
