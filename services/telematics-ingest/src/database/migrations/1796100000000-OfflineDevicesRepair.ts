import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Data repair: before the connection-state fix (storage/ingest-writer.ts, `touchDevices`), the
 * 5-second last-seen update set every device heard from recently back to `online`, also after its
 * connection had ended. A device whose last disconnection is not older than its last connection
 * has no connection open, so it is offline; the rest are corrected by their next connection.
 */
export class OfflineDevicesRepair1796100000000 implements MigrationInterface {
  // Explicit, so a minified build keeps the name TypeORM records in the migrations table.
  name = 'OfflineDevicesRepair1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE telematics.devices SET connection_state = 'offline'
        WHERE connection_state = 'online' AND disconnected_at >= connected_at`,
    );
  }

  /** Nothing to undo: the rows said something false before. */
  async down(): Promise<void> {
    // intentionally empty
  }
}
