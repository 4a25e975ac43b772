import { Kysely, Migration, MigrationProvider, sql } from 'kysely';

/**
 * The history schema, one entry per version, in order. Never edit a released entry: add the next
 * one. Kysely records each applied name in `kysely_migration` and applies the rest inside one
 * transaction holding an advisory lock, so replicas starting together apply each version once.
 */
export const HISTORY_MIGRATIONS: Record<string, Migration> = {
  '0001_snapshots': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('account_snapshots')
        .addColumn('login', 'text', (column) => column.notNull())
        .addColumn('day', 'date', (column) => column.notNull())
        .addColumn('followers', 'integer')
        .addColumn('following', 'integer')
        .addColumn('public_repos', 'integer')
        .addColumn('stars', 'integer')
        .addColumn('forks', 'integer')
        .addColumn('recorded_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('account_snapshots_pk', ['login', 'day'])
        .execute();
      await db.schema
        .createTable('repo_snapshots')
        .addColumn('full_name', 'text', (column) => column.notNull())
        .addColumn('day', 'date', (column) => column.notNull())
        .addColumn('stars', 'integer', (column) => column.notNull())
        .addColumn('forks', 'integer', (column) => column.notNull())
        .addColumn('open_issues', 'integer', (column) => column.notNull())
        .addColumn('recorded_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('repo_snapshots_pk', ['full_name', 'day'])
        .execute();
      // Retention deletes by day across every account and repository.
      await db.schema
        .createIndex('account_snapshots_day')
        .on('account_snapshots')
        .column('day')
        .execute();
      await db.schema
        .createIndex('repo_snapshots_day')
        .on('repo_snapshots')
        .column('day')
        .execute();
      await db.schema
        .createTable('watched_accounts')
        .addColumn('login', 'text', (column) => column.primaryKey())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('last_viewed_at', 'timestamptz', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('history_leases')
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('holder', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
        .execute();
    },
  },
  '0002_watch_list_cap': {
    async up(db: Kysely<unknown>): Promise<void> {
      // How often an account was viewed (at most once an hour per account and process): the cap
      // evicts the least viewed, so that a flood of one-off names cannot push out the accounts
      // people come back to.
      await db.schema
        .alterTable('watched_accounts')
        .addColumn('views', 'integer', (column) => column.notNull().defaultTo(1))
        .execute();
      // The eviction's order, and the pruning of accounts nobody viewed within HISTORY_WATCH_DAYS.
      await db.schema
        .createIndex('watched_accounts_eviction')
        .on('watched_accounts')
        .columns(['views', 'last_viewed_at'])
        .execute();
      await db.schema
        .createIndex('watched_accounts_last_viewed')
        .on('watched_accounts')
        .column('last_viewed_at')
        .execute();
    },
  },
  '0003_repo_star_events': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Exact star events (the `star` webhook: created / deleted), one row per delivery, so a
      // redelivery (the same X-GitHub-Delivery) is kept once. Star history counts them per day:
      // a day with events has its exact `lost`, where recorded totals give only a lower bound.
      await db.schema
        .createTable('repo_star_events')
        .addColumn('delivery_id', 'text', (column) => column.primaryKey())
        .addColumn('full_name', 'text', (column) => column.notNull())
        .addColumn('day', 'date', (column) => column.notNull())
        .addColumn('action', 'text', (column) =>
          column.notNull().check(sql`action IN ('created', 'deleted')`),
        )
        .addColumn('recorded_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
        .execute();
      // Star history reads one repository's days; retention deletes by day.
      await db.schema
        .createIndex('repo_star_events_repo_day')
        .on('repo_star_events')
        .columns(['full_name', 'day'])
        .execute();
      await db.schema
        .createIndex('repo_star_events_day')
        .on('repo_star_events')
        .column('day')
        .execute();
    },
  },
  '0004_webhook_deliveries': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Every signed webhook delivery, stored before it is answered (202) and processed after:
      // the delivery id is the key, so a redelivery is recognised; a claim (claimed_until) lets one
      // replica process it and another take over once the claim lapses (a process that died).
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('delivery_id', 'text', (column) => column.primaryKey())
        .addColumn('event', 'text', (column) => column.notNull())
        .addColumn('action', 'text')
        .addColumn('payload', 'text', (column) => column.notNull())
        .addColumn('received_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', 'timestamptz')
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('processed_at', 'timestamptz')
        .addColumn('outcome', 'text')
        .addColumn('last_error', 'text')
        .execute();
      // The sweep reads the unprocessed ones, oldest first; pruning deletes by age.
      await db.schema
        .createIndex('webhook_deliveries_pending')
        .on('webhook_deliveries')
        .column('received_at')
        .where(sql.ref('processed_at'), 'is', null)
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_received')
        .on('webhook_deliveries')
        .column('received_at')
        .execute();
      // The exact time of a star event (starred_at, or the delivery's receipt for an unstar).
      await db.schema
        .alterTable('repo_star_events')
        .addColumn('occurred_at', 'timestamptz')
        .execute();
    },
  },
};

export const historyMigrations: MigrationProvider = {
  getMigrations: () => Promise.resolve(HISTORY_MIGRATIONS),
};
