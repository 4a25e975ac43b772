import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryConfig } from '../../config/history.config';
import { HistoryTables } from './history-schema';
import { historyMigrations } from './migrations';
import { PgliteDialect } from './pglite-dialect';
import { queryTracer } from './query-spans';

/** A server that does not answer fails fast: history waits, nothing else does. */
const CONNECT_TIMEOUT_MS = 3_000;
const STATEMENT_TIMEOUT_MS = 10_000;
const POOL_SIZE = 4;

/**
 * PGlite's defaults reserve 128 MB of shared buffers; history's working set is a few megabytes,
 * and the pod has 256 MiB in all (docs/history.md has the measurements).
 */
const PGLITE_START_PARAMS = [
  '--single',
  '-F',
  '-O',
  '-j',
  '-c',
  'search_path=public',
  '-c',
  'exit_on_error=false',
  '-c',
  'log_checkpoints=false',
  '-c',
  'max_worker_processes=0',
  '-c',
  'max_parallel_workers=0',
  '-c',
  'max_parallel_workers_per_gather=0',
  '-c',
  'max_parallel_maintenance_workers=0',
  '-c',
  'io_method=sync',
  '-c',
  'shared_buffers=4MB',
  '-c',
  'work_mem=1MB',
  '-c',
  'temp_buffers=1MB',
];

export interface OpenedDatabase {
  db: Kysely<HistoryTables>;
  backend: 'postgres' | 'embedded';
  /** Closes the database (and frees the embedded store's directory). */
  close(): Promise<void>;
}

type StoreSettings = Pick<HistoryConfig, 'databaseUrl' | 'dataDir'>;

/** PostgreSQL when DATABASE_URL is set, else the embedded store under DATA_DIR. */
export function openDatabase(
  config: StoreSettings,
  onPoolError: (error: Error) => void,
): OpenedDatabase {
  if (config.databaseUrl) {
    const connectionString = config.databaseUrl;
    const db = new Kysely<HistoryTables>({
      dialect: new PostgresDialect({
        // Loaded only here, like PGlite below: a service without DATABASE_URL never pays for it.
        pool: async () => {
          const { Pool } = await import('pg');
          const pool = new Pool({
            connectionString,
            max: POOL_SIZE,
            connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
            statement_timeout: STATEMENT_TIMEOUT_MS,
            query_timeout: STATEMENT_TIMEOUT_MS + 1_000,
            application_name: 'github-dashboard-backend',
          });
          // An idle connection dropped by the server must not crash the process.
          pool.on('error', onPoolError);
          return pool;
        },
      }),
      log: queryTracer('postgresql'),
    });
    return { db, backend: 'postgres', close: () => db.destroy() };
  }
  const dataDir = config.dataDir;
  let unlock = () => {};
  const db = new Kysely<HistoryTables>({
    log: queryTracer('pglite'),
    dialect: new PgliteDialect(async () => {
      // Loaded only here: a service on PostgreSQL never pays for the embedded store's code.
      const { PGlite } = await import('@electric-sql/pglite');
      if (dataDir === 'memory://') {
        return PGlite.create({ startParams: PGLITE_START_PARAMS });
      }
      const storeDir = join(dataDir, 'history');
      mkdirSync(storeDir, { recursive: true });
      unlock = lockDirectory(dataDir);
      try {
        return await PGlite.create(storeDir, { startParams: PGLITE_START_PARAMS });
      } catch (error) {
        unlock();
        throw error;
      }
    }),
  });
  return {
    db,
    backend: 'embedded',
    close: async () => {
      await db.destroy();
      unlock();
    },
  };
}

/** Applies every pending migration; Kysely holds an advisory lock while it does. */
export async function migrate(db: Kysely<HistoryTables>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: historyMigrations });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    throw error instanceof Error ? error : new Error('The history migration failed');
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The embedded store is one process's: a second process on the same directory would corrupt it.
 * A pid file refuses the second one (its history is then unavailable, nothing else); a file left
 * by a process that died is taken over.
 */
/** Lock files this process holds (two apps in one test process must not share a directory either). */
const lockedHere = new Set<string>();

export function lockDirectory(dataDir: string): () => void {
  const file = join(dataDir, 'history.lock');
  if (lockedHere.has(file)) {
    throw new Error(`DATA_DIR ${dataDir} is already open in this process`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      lockedHere.add(file);
      return () => {
        lockedHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `DATA_DIR ${dataDir} is in use by process ${holder}: the embedded store serves one process; set DATABASE_URL to share history between replicas`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock DATA_DIR ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
