import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { type DataSource } from 'typeorm';
import { deliveryErrors } from '../fsm/delivery.errors';
import { TransitionEngine } from '../fsm/transition.engine';
import { type TripView, tripView } from '../fsm/views';
import { type Actor } from '../state-machine';

@Injectable()
export class TripsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  notFound() {
    return deliveryErrors.tripNotFound();
  }

  async list(
    actor: Actor,
    scope: 'mine' | 'available' | 'all' | undefined,
    state: string | undefined,
    window: PageWindow,
  ): Promise<Page<TripView>> {
    const staff = TransitionEngine.isStaff(actor);
    const chosen = scope ?? (staff ? 'all' : 'mine');
    if (chosen === 'all' && !staff) throw deliveryErrors.staffOnly('scope=all');
    const where =
      chosen === 'mine'
        ? 't.driver_user_id = $1::uuid'
        : chosen === 'available'
          ? `t.state = 'trip_activated'`
          : 'TRUE';
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT t.*, count(*) OVER () AS total,
              coalesce((SELECT array_agg(o.id ORDER BY o.created_at, o.id)
                          FROM delivery.orders o WHERE o.trip_id = t.id), '{}') AS order_ids
         FROM delivery.trips t
        WHERE ${where} AND ($1::uuid IS NULL OR TRUE) AND ($2::text IS NULL OR t.state = $2)
        ORDER BY t.created_at DESC, t.id LIMIT $3 OFFSET $4`,
      [actor.userId ?? null, state ?? null, window.take, window.skip],
    );
    return pageOf(
      rows.map((row) => tripView(row, row['order_ids'] as string[])),
      Number(rows[0]?.['total'] ?? 0),
      window,
    );
  }
}
