import { Client } from 'pg';

/** The PostgreSQL on this machine (and CI's): trust authentication, user postgres. */
export const TEST_POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

let created = 0;

export interface TestDatabase {
  /** DATABASE_URL for the app. */
  url: string;
  name: string;
  /** Runs SQL on the test database (assertions on rows). */
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Runs SQL on the server's maintenance database (taking access away and back). */
  admin(text: string): Promise<void>;
  drop(): Promise<void>;
}

/** A database of its own for one suite (`gdb_test_<pid>_<n>`), dropped (forcibly) afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `gdb_test_${process.pid}_${++created}`;
  const admin = async (text: string) => {
    const client = new Client({ connectionString: `${TEST_POSTGRES}/postgres` });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = `${TEST_POSTGRES}/${name}`;
  return {
    url,
    name,
    admin,
    query: async <Row>(text: string, values: unknown[] = []) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as Row[];
      } finally {
        await client.end();
      }
    },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
