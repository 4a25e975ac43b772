import type { ColumnType, Generated } from 'kysely';

/** A calendar day (UTC) as PostgreSQL's `date`; read back through `to_char`, written as `YYYY-MM-DD`. */
type Day = ColumnType<string, string, string>;

/** One row per account and UTC day; a column is null when that half was never seen that day. */
export interface AccountSnapshotTable {
  login: string;
  day: Day;
  followers: number | null;
  following: number | null;
  public_repos: number | null;
  stars: number | null;
  forks: number | null;
  recorded_at: Generated<Date>;
}

/** One row per repository (`owner/name`, lower case) and UTC day. */
export interface RepoSnapshotTable {
  full_name: string;
  day: Day;
  stars: number;
  forks: number;
  open_issues: number;
  recorded_at: Generated<Date>;
}

/** Accounts someone looked at: the refresher keeps those viewed within HISTORY_WATCH_DAYS. */
export interface WatchedAccountTable {
  login: string;
  kind: 'user' | 'org';
  last_viewed_at: Date;
  /** Views counted at most once an hour per account and process: the cap evicts the fewest. */
  views: Generated<number>;
}

/** A lease per background job, so one replica at a time runs it. */
export interface HistoryLeaseTable {
  name: string;
  holder: string;
  expires_at: Date;
}

/**
 * One exact star event of a repository (`owner/name`, lower case) per webhook delivery: `created`
 * on the day of its `starred_at`, `deleted` on the day it was received.
 */
export interface RepoStarEventTable {
  delivery_id: string;
  full_name: string;
  day: Day;
  action: 'created' | 'deleted';
  /** The event's exact time (migration 0004; null on rows written before it). */
  occurred_at: Date | null;
  recorded_at: Generated<Date>;
}

/** One signed webhook delivery (src/webhooks): stored, answered 202, processed once. */
export interface WebhookDeliveryTable {
  delivery_id: string;
  event: string;
  action: string | null;
  /** The body as received (its signature was checked over these bytes). */
  payload: string;
  received_at: Generated<Date>;
  claimed_by: string | null;
  claimed_until: Date | null;
  attempts: Generated<number>;
  processed_at: Date | null;
  outcome: string | null;
  last_error: string | null;
}

export interface HistoryTables {
  account_snapshots: AccountSnapshotTable;
  repo_snapshots: RepoSnapshotTable;
  repo_star_events: RepoStarEventTable;
  watched_accounts: WatchedAccountTable;
  history_leases: HistoryLeaseTable;
  webhook_deliveries: WebhookDeliveryTable;
}
