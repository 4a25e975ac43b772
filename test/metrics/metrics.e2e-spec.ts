import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import request from 'supertest';
import { MetricsServer } from '../../src/metrics/metrics-server';
import { MISNAMED_DEFAULT_GAUGES } from '../../src/metrics/metrics.service';
import { Harness, startHarness } from '../support/harness';
import { expectProblem } from '../support/problem';
import { rawGet } from '../support/raw-get';

/** A port nothing listens on right now (the kernel's choice, released at once). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Prometheus' own linter on a scrape. promtool ships in Debian's `prometheus` package; without
 * it this fails with the way to get it, rather than passing without having checked anything.
 */
function promtoolCheckMetrics(scrape: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: scrape, encoding: 'utf8' });
  if (run.error) {
    throw new Error(
      `promtool could not run (${run.error.message}): install Debian's prometheus package ` +
        '(apt-get update && apt-get install -y prometheus), as .ci/run does',
    );
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

/** Real traffic first, so that labelled series (requests, GitHub calls, cache results) exist. */
async function trafficAgainst(h: Harness): Promise<void> {
  h.gh.addUser('octocat', 3);
  await request(h.server).get('/github/repos/octocat').expect(200);
  await request(h.server).get('/github/repos/octocat').expect(200);
  await request(h.server).get('/github/repos/nobody-here').expect(404);
}

describe('GET /metrics without METRICS_PORT', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ token: 'ghp_metrics_main_port' });
    await trafficAgainst(h);
  });

  afterAll(async () => {
    await h.close();
  });

  it('should be served on the main port, with no listener of its own', async () => {
    const response = await request(h.server).get('/metrics');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.text).toMatch(/^# HELP http_requests_total /m);
    expect(h.app.get(MetricsServer).port).toBeUndefined();
  });

  it('should pass promtool check metrics', async () => {
    const scrape = (await request(h.server).get('/metrics').expect(200)).text;

    expect(promtoolCheckMetrics(scrape)).toEqual({ status: 0, output: '' });
  });

  it('should export gauges without a counter suffix (nodejs_active_handles, not _total)', async () => {
    const scrape = (await request(h.server).get('/metrics').expect(200)).text;

    for (const name of MISNAMED_DEFAULT_GAUGES) {
      expect(scrape).not.toContain(`${name} `);
      expect(scrape).toContain(`# TYPE ${name.replace(/_total$/, '')} gauge`);
    }
  });
});

describe('GET /metrics with METRICS_PORT', () => {
  let h: Harness;
  let metricsPort: number;
  let metricsUrl: string;

  beforeAll(async () => {
    metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}`;
    h = await startHarness({
      token: 'ghp_metrics_own_port',
      env: { METRICS_PORT: String(metricsPort) },
    });
    await trafficAgainst(h);
  });

  afterAll(async () => {
    await h.close();
  });

  it('should answer 404 on the main port, as for any unknown route', async () => {
    const metrics = await request(h.server).get('/metrics');
    const unknown = await request(h.server).get('/no-such-route');

    const problem = expectProblem(metrics, 404);
    expect(problem).toEqual({
      ...expectProblem(unknown, 404),
      detail: 'Cannot GET /metrics',
      instance: '/metrics',
    });
    await request(h.server).head('/metrics').expect(404);
  });

  it('should serve the Prometheus text on its own port, counting the API traffic', async () => {
    const response = await rawGet(metricsUrl, '/metrics');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).toMatch(
      /^http_requests_total\{route="\/github\/repos\/:username",method="GET",status="200"\} 2$/m,
    );
    expect(h.app.get(MetricsServer).port).toBe(metricsPort);
  });

  it('should serve nothing else there', async () => {
    for (const path of ['/', '/health', '/github/repos/octocat', '/metrics/x']) {
      expect((await rawGet(metricsUrl, path)).status).toBe(404);
    }
  });

  it('should pass promtool check metrics there too', async () => {
    const scrape = (await rawGet(metricsUrl, '/metrics')).text;

    expect(promtoolCheckMetrics(scrape)).toEqual({ status: 0, output: '' });
  });
});

describe('the metrics listener at shutdown', () => {
  it('should close with the app, freeing its port', async () => {
    const port = await freePort();
    const h = await startHarness({ env: { METRICS_PORT: String(port) } });
    expect((await rawGet(`http://127.0.0.1:${port}`, '/metrics')).status).toBe(200);

    await h.close();

    await expect(rawGet(`http://127.0.0.1:${port}`, '/metrics')).rejects.toThrow(/ECONNREFUSED/);
  });
});
