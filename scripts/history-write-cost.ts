/**
 * What one snapshot of a 5,000-repository account costs to write (docs/history.md), on PostgreSQL
 * (DATABASE_URL) or the embedded store (DATA_DIR): `tsx scripts/history-write-cost.ts`.
 */
import { migrate, openDatabase } from '../src/history/storage/open-database';
import { writeSnapshot } from '../src/history/storage/snapshot-writer';
import { AccountSnapshot } from '../src/history/storage/account-snapshot';

const REPOS = Number(process.env.REPOS ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

function snapshot(day: string): AccountSnapshot {
  return {
    login: 'big-account',
    day,
    profile: { followers: 1000, following: 10, publicRepos: REPOS },
    totals: { stars: REPOS * 3, forks: REPOS },
    repos: Array.from({ length: REPOS }, (_, i) => ({
      fullName: `big-account/repo-${i}`,
      stars: i % 97,
      forks: i % 13,
      openIssues: i % 7,
    })),
  };
}

async function main(): Promise<void> {
  const opened = openDatabase(
    { databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? './data' },
    () => undefined,
  );
  await migrate(opened.db);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Odd rounds rewrite the previous day: the upsert's update path.
    const day = `2030-01-${String(1 + Math.floor(round / 2)).padStart(2, '0')}`;
    const startedAt = performance.now();
    await writeSnapshot(opened.db, snapshot(day));
    times.push(performance.now() - startedAt);
  }
  await opened.db
    .deleteFrom('repo_snapshots')
    .where('full_name', 'like', 'big-account/%')
    .execute();
  await opened.db.deleteFrom('account_snapshots').where('login', '=', 'big-account').execute();
  await opened.close();
  const rss = Math.round(process.memoryUsage().rss / 1048576);
  process.stdout.write(
    `${opened.backend}, ${REPOS} repositories: ${times.map((t) => Math.round(t)).join(', ')} ms per snapshot (insert, update alternating); RSS ${rss} MiB\n`,
  );
}

void main();
