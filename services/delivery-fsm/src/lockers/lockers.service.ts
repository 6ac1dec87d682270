import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { inTransaction, isForeignKeyViolation, violatedUniqueConstraint } from '@platform/database';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { type DataSource } from 'typeorm';
import { DefinitionRegistry } from '../fsm/definition.registry';
import { deliveryErrors } from '../fsm/delivery.errors';
import { type CellView, cellView } from '../fsm/views';
import {
  type CellCreationDto,
  type LockerCreationDto,
  type LockerModelCreationDto,
  type LockerModelView,
  type LockerView,
} from './lockers.dto';

function modelView(row: Record<string, unknown>): LockerModelView {
  return {
    id: row['id'] as string,
    name: row['name'] as string,
    description: row['description'] as string,
    cells_s: Number(row['cells_s']),
    cells_m: Number(row['cells_m']),
    cells_l: Number(row['cells_l']),
    cells_p: Number(row['cells_p']),
  };
}

function lockerView(row: Record<string, unknown>): LockerView {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: row['id'] as string,
    code: row['code'] as string,
    model_id: row['model_id'] as string,
    city: row['city'] as string,
    address: row['address'] as string,
    latitude: num(row['latitude']),
    longitude: num(row['longitude']),
    status: row['status'] as string,
    free_cells: Number(row['free_cells'] ?? 0),
  };
}

const LOCKER_SELECT = `
  SELECT l.*, (SELECT count(*) FROM delivery.cells c
                WHERE c.locker_id = l.id AND c.state = 'locker_free') AS free_cells
    FROM delivery.lockers l`;

/** Locker models, lockers and their cells (cells are created free, under the current definition). */
@Injectable()
export class LockersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly definitions: DefinitionRegistry,
  ) {}

  async createModel(body: LockerModelCreationDto): Promise<LockerModelView> {
    try {
      const [row] = await this.dataSource.query<Record<string, unknown>[]>(
        `INSERT INTO delivery.locker_models (name, description, cells_s, cells_m, cells_l, cells_p)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [
          body.name,
          body.description ?? '',
          body.cells_s ?? 0,
          body.cells_m ?? 0,
          body.cells_l ?? 0,
          body.cells_p ?? 0,
        ],
      );
      return modelView(row as Record<string, unknown>);
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'locker_models_name_key') {
        throw deliveryErrors.lockerModelNameTaken();
      }
      throw error;
    }
  }

  async models(window: PageWindow): Promise<Page<LockerModelView>> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT *, count(*) OVER () AS total FROM delivery.locker_models
        ORDER BY name LIMIT $1 OFFSET $2`,
      [window.take, window.skip],
    );
    return pageOf(rows.map(modelView), Number(rows[0]?.['total'] ?? 0), window);
  }

  async deleteModel(id: string): Promise<void> {
    try {
      const [, count] = (await this.dataSource.query(
        `DELETE FROM delivery.locker_models WHERE id = $1`,
        [id],
      )) as [unknown, number];
      if (count === 0) throw deliveryErrors.lockerModelNotFound();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw deliveryErrors.lockerInUse();
      throw error;
    }
  }

  async createLocker(body: LockerCreationDto): Promise<LockerView> {
    try {
      const [row] = await this.dataSource.query<Record<string, unknown>[]>(
        `INSERT INTO delivery.lockers (id, code, model_id, city, address, latitude, longitude, status)
         VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          body.id?.toLowerCase() ?? null,
          body.code,
          body.model_id,
          body.city,
          body.address,
          body.latitude ?? null,
          body.longitude ?? null,
          body.status ?? 'active',
        ],
      );
      return lockerView({ ...row, free_cells: 0 });
    } catch (error) {
      const unique = violatedUniqueConstraint(error);
      if (unique !== null) throw deliveryErrors.lockerCodeTaken();
      if (isForeignKeyViolation(error)) throw deliveryErrors.lockerModelNotFound();
      throw error;
    }
  }

  async lockers(window: PageWindow, city?: string): Promise<Page<LockerView>> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `${LOCKER_SELECT.replace('SELECT l.*', 'SELECT l.*, count(*) OVER () AS total')}
        WHERE ($1::text IS NULL OR l.city = $1)
        ORDER BY l.city, l.code LIMIT $2 OFFSET $3`,
      [city ?? null, window.take, window.skip],
    );
    return pageOf(rows.map(lockerView), Number(rows[0]?.['total'] ?? 0), window);
  }

  async locker(id: string): Promise<LockerView> {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `${LOCKER_SELECT} WHERE l.id = $1`,
      [id],
    );
    if (!row) throw deliveryErrors.lockerNotFound();
    return lockerView(row);
  }

  async deleteLocker(id: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      try {
        await manager.query(
          `DELETE FROM delivery.cells c WHERE c.locker_id = $1
             AND NOT EXISTS (SELECT 1 FROM delivery.cell_holds h WHERE h.cell_id = c.id)
             AND NOT EXISTS (SELECT 1 FROM delivery.orders o
                              WHERE o.source_cell_id = c.id OR o.dest_cell_id = c.id)`,
          [id],
        );
        const [, count] = (await manager.query(`DELETE FROM delivery.lockers WHERE id = $1`, [
          id,
        ])) as [unknown, number];
        if (count === 0) throw deliveryErrors.lockerNotFound();
      } catch (error) {
        if (isForeignKeyViolation(error)) throw deliveryErrors.lockerInUse();
        throw error;
      }
    });
  }

  async createCell(lockerId: string, body: CellCreationDto): Promise<CellView> {
    try {
      const [row] = await this.dataSource.query<Record<string, unknown>[]>(
        `INSERT INTO delivery.cells (locker_id, code, size, state, definition_version)
         VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [
          lockerId,
          body.code,
          body.size,
          this.definitions.current.entityTypes.find((t) => t.name === 'cell')?.initialState,
          this.definitions.current.version,
        ],
      );
      return cellView({ ...row, order_id: null, side: null });
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'cells_locker_id_code_key') {
        throw deliveryErrors.cellCodeTaken();
      }
      if (isForeignKeyViolation(error)) throw deliveryErrors.lockerNotFound();
      throw error;
    }
  }

  async cells(
    lockerId: string,
    window: PageWindow,
    filter: { state?: string; size?: string },
  ): Promise<Page<CellView>> {
    await this.locker(lockerId);
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT c.*, h.order_id, h.side, count(*) OVER () AS total
         FROM delivery.cells c
         LEFT JOIN delivery.cell_holds h ON h.cell_id = c.id AND h.released_at IS NULL
        WHERE c.locker_id = $1 AND ($2::text IS NULL OR c.state = $2)
          AND ($3::text IS NULL OR c.size = $3)
        ORDER BY c.code LIMIT $4 OFFSET $5`,
      [lockerId, filter.state ?? null, filter.size ?? null, window.take, window.skip],
    );
    return pageOf(rows.map(cellView), Number(rows[0]?.['total'] ?? 0), window);
  }
}
