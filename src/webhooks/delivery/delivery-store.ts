import { Injectable } from '@nestjs/common';
import { WebhookDelivery } from '../events/webhook-delivery';
import { sql } from 'kysely';
import { HistoryDatabase } from '../../history/storage/history-database';

/** A delivery as processing reads it. */
export interface StoredDelivery extends WebhookDelivery {
  /** Attempts so far, this one included. */
  attempts: number;
}

/** New deliveries to receive, and what is known of them after the signature held. */
export interface NewDelivery {
  id: string;
  event: string;
  action: string | null;
  payload: string;
}

/**
 * Webhook deliveries in the history database (table webhook_deliveries): stored once per delivery
 * id, claimed by one replica at a time (a claim lapses after WEBHOOK_CLAIM_SECONDS, so a delivery
 * whose process died is taken over), marked processed, pruned after WEBHOOK_RETENTION_DAYS.
 */
@Injectable()
export class DeliveryStore {
  constructor(private readonly database: HistoryDatabase) {}

  /** Stores a delivery; false when its id was stored before (a redelivery or a replay). */
  async insert(delivery: NewDelivery): Promise<boolean> {
    const result = await this.database.run((db) =>
      db
        .insertInto('webhook_deliveries')
        .values({
          delivery_id: delivery.id,
          event: delivery.event,
          action: delivery.action,
          payload: delivery.payload,
        })
        .onConflict((conflict) => conflict.column('delivery_id').doNothing())
        .executeTakeFirst(),
    );
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /**
   * Claims one unprocessed delivery nobody holds (that one, or the oldest): one statement, so two
   * replicas never claim the same one (the row lock; SKIP LOCKED lets the other take the next).
   * `=` and not `IN`: PostgreSQL may run an `IN (… LIMIT 1 FOR UPDATE SKIP LOCKED)` subquery more
   * than once and claim several rows (seen in the two-replica test), where `=` runs it once.
   */
  async claim(holder: string, claimMs: number, id?: string): Promise<StoredDelivery | undefined> {
    const row = await this.database.run((db) =>
      db
        .updateTable('webhook_deliveries')
        .set({
          claimed_by: holder,
          claimed_until: sql<Date>`now() + ${claimMs} * interval '1 millisecond'`,
          attempts: sql<number>`attempts + 1`,
        })
        .where('delivery_id', '=', (eb) => {
          let pending = eb
            .selectFrom('webhook_deliveries')
            .select('delivery_id')
            .where('processed_at', 'is', null)
            .where((w) =>
              w.or([w('claimed_until', 'is', null), w('claimed_until', '<', sql<Date>`now()`)]),
            );
          if (id !== undefined) {
            pending = pending.where('delivery_id', '=', id);
          }
          return pending.orderBy('received_at').limit(1).forUpdate().skipLocked();
        })
        // The claim is checked again on the row itself, once any lock on it is released.
        .where('processed_at', 'is', null)
        .where((w) =>
          w.or([w('claimed_until', 'is', null), w('claimed_until', '<', sql<Date>`now()`)]),
        )
        .returning(['delivery_id', 'event', 'action', 'payload', 'received_at', 'attempts'])
        .executeTakeFirst(),
    );
    return row
      ? {
          id: row.delivery_id,
          event: row.event,
          action: row.action,
          payload: row.payload,
          receivedAt: new Date(row.received_at),
          attempts: row.attempts,
        }
      : undefined;
  }

  /** Marks a claimed delivery done (processed, ignored or given up on). */
  async finish(id: string, holder: string, outcome: string, error?: string): Promise<void> {
    await this.database.run((db) =>
      db
        .updateTable('webhook_deliveries')
        .set({
          processed_at: sql<Date>`now()`,
          outcome,
          last_error: error ?? null,
          claimed_until: null,
        })
        .where('delivery_id', '=', id)
        .where('claimed_by', '=', holder)
        .execute(),
    );
  }

  /** A failed attempt: the claim now lapses after `retryInMs`, when a sweep tries again. */
  async retryLater(id: string, holder: string, retryInMs: number, error: string): Promise<void> {
    await this.database.run((db) =>
      db
        .updateTable('webhook_deliveries')
        .set({
          claimed_until: sql<Date>`now() + ${retryInMs} * interval '1 millisecond'`,
          last_error: error,
        })
        .where('delivery_id', '=', id)
        .where('claimed_by', '=', holder)
        .execute(),
    );
  }

  /** Forgets deliveries received more than `days` ago; returns how many. */
  async prune(days: number): Promise<number> {
    const result = await this.database.run((db) =>
      db
        .deleteFrom('webhook_deliveries')
        .where('received_at', '<', sql<Date>`now() - ${days} * interval '1 day'`)
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }
}
