import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { HistoryDatabase } from './history-database';

/**
 * A lease row in the database, so that one replica at a time runs a background job. Taken when
 * free or expired, for `seconds`; the holder renews it while it works, and a replica that dies
 * frees it by expiry. Each instance is one holder.
 */
export class DatabaseLease {
  private readonly holder = randomUUID();

  constructor(
    private readonly database: HistoryDatabase,
    private readonly name: string,
    private readonly seconds: number,
  ) {}

  /** True when this holder has the lease now (newly taken); false when another one holds it. */
  async take(): Promise<boolean> {
    const taken = await this.database.run((db) =>
      db
        .insertInto('history_leases')
        .values({ name: this.name, holder: this.holder, expires_at: this.expiry() })
        .onConflict((conflict) =>
          conflict
            .column('name')
            .doUpdateSet({ holder: sql`excluded.holder`, expires_at: sql`excluded.expires_at` })
            .where('history_leases.expires_at', '<=', sql<Date>`now()`),
        )
        .returning('holder')
        .execute(),
    );
    return taken.length === 1;
  }

  /**
   * Extends the lease by `seconds` from now while this holder still has it. False when another
   * holder took it (it had expired): the caller must stop, or two would run at once.
   */
  async renew(): Promise<boolean> {
    const renewed = await this.database.run((db) =>
      db
        .updateTable('history_leases')
        .set({ expires_at: this.expiry() })
        .where('name', '=', this.name)
        .where('holder', '=', this.holder)
        .returning('holder')
        .execute(),
    );
    return renewed.length === 1;
  }

  private expiry() {
    return sql<Date>`now() + make_interval(secs => ${this.seconds})`;
  }
}
