import request from 'supertest';
import { SnapshotWriter } from '../../src/history/storage/snapshot-writer';
import { Harness, startHarness } from '../support/harness';
import { expectProblem } from '../support/problem';
import { HISTORY_ON, historyReady, snapshotsWritten } from '../support/history-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const NO_CACHE = { 'Cache-Control': 'no-cache' };

function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/**
 * A database outage degrades only history: the history routes answer 503 history-unavailable,
 * snapshot writes fail (counted) and are retried once the database is back, every other route
 * and readiness keep answering 200.
 */
describe('History when the database is down', () => {
  describe('from the start (nothing listens at DATABASE_URL)', () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({
        env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', HISTORY_ENABLED: 'true' },
      });
      h.gh.addUser('octocat', 3);
    });

    afterAll(async () => {
      await h.close();
    });

    it('should start and serve every other route', async () => {
      await request(h.server).get('/github/users/octocat/summary').expect(200);
      await request(h.server).get('/github/repos/octocat').expect(200);
      await request(h.server).get('/health').expect(200);
    });

    it('should answer the history routes with a 503 history-unavailable problem', async () => {
      const repo = h.gh.reposOf('octocat')[0].name;

      const account = await request(h.server).get('/github/users/octocat/history');
      const stars = await request(h.server).get(`/github/repos/octocat/${repo}/star-history`);

      for (const response of [account, stars]) {
        const body = expectProblem(response, 503);
        expect(body.type).toMatch(/history-unavailable$/);
        expect(response.headers['retry-after']).toBe('30');
      }
    });

    it('should report readiness degraded, with 200', async () => {
      const response = await request(h.server).get('/health/ready').expect(200);

      expect(response.body).toMatchObject({
        status: 'degraded',
        details: { history: { status: 'degraded', backend: 'postgres' } },
      });
    });

    it('should count the failed snapshot writes in /metrics', async () => {
      await snapshotsWritten(h.app);

      const text = (await request(h.server).get('/metrics').expect(200)).text;

      expect(metric(text, 'history_snapshot_writes_total{result="failed"}')).toBeGreaterThan(0);
      expect(metric(text, 'history_database_up')).toBe(0);
      expect(h.app.get(SnapshotWriter).pendingCount).toBeGreaterThan(0);
    });
  });

  describe('while running (access taken away, then given back)', () => {
    let db: TestDatabase;
    let h: Harness;

    beforeAll(async () => {
      db = await createTestDatabase();
      h = await startHarness({ env: { DATABASE_URL: db.url, ...HISTORY_ON } });
      h.gh.addUser('octocat', 3);
      await historyReady(h.app);
    });

    afterAll(async () => {
      await db.admin(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await h.close();
      await db.drop();
    });

    it('should fail writes while the database refuses connections, then write them on retry', async () => {
      await db.admin(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
      await db.admin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db.name}'`,
      );

      await request(h.server).get('/github/users/octocat/summary').set(NO_CACHE).expect(200);
      await snapshotsWritten(h.app);
      const history = await request(h.server).get('/github/users/octocat/history').set(NO_CACHE);
      const writer = h.app.get(SnapshotWriter);

      expectProblem(history, 503);
      expect(writer.pendingCount).toBe(1);

      await db.admin(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
      writer.retryNow();
      await snapshotsWritten(h.app);

      expect(writer.pendingCount).toBe(0);
      const rows = await db.query<{ stars: number | null; followers: number | null }>(
        "select stars, followers from account_snapshots where login = 'octocat'",
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].stars).not.toBeNull();
      expect(rows[0].followers).not.toBeNull();
      await request(h.server).get('/github/users/octocat/history').set(NO_CACHE).expect(200);
    });
  });
});
