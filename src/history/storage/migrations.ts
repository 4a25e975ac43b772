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
};

export const historyMigrations: MigrationProvider = {
  getMigrations: () => Promise.resolve(HISTORY_MIGRATIONS),
};
