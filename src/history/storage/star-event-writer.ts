import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { utcDay } from '../../common/clock';
import { HistoryDatabase } from './history-database';

/** One `star` webhook delivery, as history keeps it. */
export interface StarEvent {
  deliveryId: string;
  /** `owner/name`, any case (stored lower case). */
  fullName: string;
  action: 'created' | 'deleted';
  /** `starred_at` for a star; when the delivery was received for an unstar (GitHub sends null). */
  occurredAt: Date;
  /** When the delivery was received: the day and age of the counts below. */
  receivedAt: Date;
  /** The repository's counts as the payload gives them, right after the event. */
  stars: number;
  forks: number;
  openIssues: number;
}

/**
 * Writes star events (the exact gains and losses star history reads) and the day's recorded counts
 * from the same payload. Idempotent: an event is keyed by its delivery id, and a day's counts are
 * only replaced by counts received later, so a delivery processed twice, or late, changes nothing.
 */
@Injectable()
export class StarEventWriter {
  constructor(private readonly database: HistoryDatabase) {}

  record(event: StarEvent): Promise<void> {
    const fullName = event.fullName.toLowerCase();
    return this.database.run((db) =>
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('repo_star_events')
          .values({
            delivery_id: event.deliveryId,
            full_name: fullName,
            day: utcDay(event.occurredAt),
            action: event.action,
            occurred_at: event.occurredAt,
          })
          .onConflict((conflict) => conflict.column('delivery_id').doNothing())
          .execute();
        await trx
          .insertInto('repo_snapshots')
          .values({
            full_name: fullName,
            day: utcDay(event.receivedAt),
            stars: event.stars,
            forks: event.forks,
            open_issues: event.openIssues,
            recorded_at: event.receivedAt,
          })
          .onConflict((conflict) =>
            conflict
              .columns(['full_name', 'day'])
              .doUpdateSet({
                stars: sql`excluded.stars`,
                forks: sql`excluded.forks`,
                open_issues: sql`excluded.open_issues`,
                recorded_at: sql`excluded.recorded_at`,
              })
              // A delivery processed late must not undo what was recorded after it.
              .where(sql<boolean>`repo_snapshots.recorded_at <= excluded.recorded_at`),
          )
          .execute();
      }),
    );
  }
}
