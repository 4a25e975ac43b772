import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Kysely } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { historyConfig } from '../../config/history.config';
import { MetricsService } from '../../metrics/metrics.service';
import { HistoryUnavailableError } from './history-unavailable.error';
import { HistoryTables } from './history-schema';
import { migrate, openDatabase, OpenedDatabase } from './open-database';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export type HistoryDatabaseState = 'disabled' | 'starting' | 'up' | 'down';

/**
 * The history database, opened and migrated in the background: the app starts (and every other
 * route serves) while the database is down, and this keeps retrying. Work goes through `run`,
 * which answers HistoryUnavailableError until the database is up and whenever a query fails.
 */
@Injectable()
export class HistoryDatabase implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HistoryDatabase.name);
  private opened?: OpenedDatabase;
  private ready = false;
  private healthy = false;
  private closing = false;
  private lastError?: string;
  private readonly waiters = new Set<() => void>();

  constructor(
    @Inject(historyConfig.KEY) private readonly config: ConfigType<typeof historyConfig>,
    private readonly metrics: MetricsService,
  ) {}

  get backend(): 'postgres' | 'embedded' {
    return this.config.databaseUrl ? 'postgres' : 'embedded';
  }

  /** `up` once migrated and while the last query succeeded. */
  get state(): HistoryDatabaseState {
    if (!this.config.enabled) {
      return 'disabled';
    }
    if (!this.ready) {
      return this.lastError ? 'down' : 'starting';
    }
    return this.healthy ? 'up' : 'down';
  }

  onApplicationBootstrap(): void {
    if (this.config.enabled) {
      void this.connect();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.waiters.forEach((wake) => wake());
    await this.opened?.close().catch(() => undefined);
  }

  /** Resolves once the database is migrated (tests, the refresher's first round). */
  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.waiters.add(resolve));
  }

  async run<T>(work: (db: Kysely<HistoryTables>) => Promise<T>): Promise<T> {
    if (!this.config.enabled) {
      throw new HistoryUnavailableError(
        'History is turned off on this service (HISTORY_ENABLED=false)',
      );
    }
    if (!this.ready || !this.opened) {
      // The cause stays in the logs: the detail must not tell clients where the database is.
      throw new HistoryUnavailableError('The history database is not available; retry later');
    }
    try {
      const result = await work(this.opened.db);
      this.markHealthy(true);
      return result;
    } catch (error) {
      this.markHealthy(false, error);
      throw new HistoryUnavailableError('The history database did not answer; retry later', {
        cause: error,
      });
    }
  }

  private async connect(): Promise<void> {
    for (let attempt = 1, wait = FIRST_RETRY_MS; !this.closing; attempt++) {
      const opened = openDatabase(this.config, (error) => this.markHealthy(false, error));
      try {
        const applied = await migrate(opened.db);
        if (this.closing) {
          await opened.close();
          return;
        }
        this.opened = opened;
        this.ready = true;
        this.markHealthy(true);
        this.logger.log({ backend: opened.backend, applied }, 'History database ready');
        this.waiters.forEach((wake) => wake());
        this.waiters.clear();
        return;
      } catch (error) {
        await opened.close().catch(() => undefined);
        this.lastError = describe(error);
        this.metrics.recordHistoryDatabaseConnectFailure();
        this.logger.warn(
          { backend: opened.backend, attempt, error: this.lastError, retryInMs: wait },
          'History database unavailable; retrying in the background',
        );
        await sleep(wait, undefined, { ref: false });
        wait = Math.min(MAX_RETRY_MS, wait * 2);
      }
    }
  }

  private markHealthy(healthy: boolean, error?: unknown): void {
    if (this.healthy !== healthy && this.ready) {
      if (healthy) {
        this.logger.log('History database answers again');
      } else {
        this.logger.warn({ error: describe(error) }, 'History database failed');
      }
    }
    this.healthy = healthy;
    if (error !== undefined) {
      this.lastError = describe(error);
    }
    this.metrics.recordHistoryDatabaseUp(healthy && this.ready);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
