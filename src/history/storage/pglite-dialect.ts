import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/**
 * Kysely over PGlite: PostgreSQL's own SQL, so the embedded store and a real server share every
 * query and migration. (The dialects on npm pin PGlite below 0.5.) PGlite is one connection that
 * runs one statement at a time; a transaction holds it exclusively until it ends.
 */
export class PgliteDialect implements Dialect {
  constructor(private readonly open: () => Promise<PGlite>) {}

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PgliteDriver(this.open);
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PgliteDriver implements Driver {
  private pglite?: PGlite;
  /** Serialises connections: a transaction must not interleave with other statements. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly open: () => Promise<PGlite>) {}

  async init(): Promise<void> {
    this.pglite = await this.open();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise((resolve) => (release = resolve));
    await previous;
    return new PgliteConnection(this.pglite as PGlite, release);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PgliteConnection).release();
    return Promise.resolve();
  }

  async destroy(): Promise<void> {
    await this.pglite?.close();
  }
}

class PgliteConnection implements DatabaseConnection {
  constructor(
    private readonly pglite: PGlite | Transaction,
    readonly release: () => void,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(query.sql, [...query.parameters]);
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined
        ? { numAffectedRows: BigInt(result.affectedRows) }
        : {}),
    };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('The embedded store does not stream query results');
  }
}
