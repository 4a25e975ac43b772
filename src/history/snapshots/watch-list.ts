import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { sql } from 'kysely';
import { historyConfig } from '../../config/history.config';
import type { RepoOwner } from '../../github/repositories/account-repos.fetcher';
import { HistoryDatabase } from '../storage/history-database';

/** A view is written at most this often per account: a busy dashboard must not write per request. */
const MARK_EVERY_MS = 60 * 60 * 1000;

/** Accounts someone looked at recently: the refresher keeps their history going. */
@Injectable()
export class WatchList {
  private readonly marked = new LRUCache<string, number>({ max: 10_000 });

  constructor(
    private readonly database: HistoryDatabase,
    @Inject(historyConfig.KEY) private readonly config: ConfigType<typeof historyConfig>,
  ) {}

  async markViewed(owner: RepoOwner): Promise<void> {
    const login = owner.login.toLowerCase();
    const last = this.marked.get(login);
    if (this.config.watchDays === 0 || (last !== undefined && Date.now() - last < MARK_EVERY_MS)) {
      return;
    }
    this.marked.set(login, Date.now());
    try {
      await this.database.run((db) =>
        db
          .insertInto('watched_accounts')
          .values({ login, kind: owner.kind, last_viewed_at: new Date() })
          .onConflict((conflict) =>
            conflict.column('login').doUpdateSet({ last_viewed_at: sql`excluded.last_viewed_at` }),
          )
          .execute(),
      );
    } catch (error) {
      // Not remembered: the next view tries again.
      this.marked.delete(login);
      throw error;
    }
  }

  /** Accounts viewed within HISTORY_WATCH_DAYS, least recently snapshotted first. */
  watched(today: string): Promise<{ login: string; kind: 'user' | 'org' }[]> {
    const since = new Date(Date.now() - this.config.watchDays * 86_400_000);
    return this.database.run((db) =>
      db
        .selectFrom('watched_accounts as w')
        .leftJoin('account_snapshots as s', (join) =>
          join.onRef('s.login', '=', 'w.login').on('s.day', '=', today),
        )
        .select(['w.login', 'w.kind'])
        .where('w.last_viewed_at', '>=', since)
        // Taken today already (someone viewed it, or another round): nothing to do.
        .where((eb) =>
          eb.or([
            eb('s.login', 'is', null),
            eb('s.stars', 'is', null),
            eb('s.followers', 'is', null),
          ]),
        )
        .orderBy('w.last_viewed_at', 'desc')
        .execute(),
    );
  }
}
