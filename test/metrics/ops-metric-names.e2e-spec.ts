import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { Harness, startHarness } from '../support/harness';
import { exportedMetricNames, metricNamesIn } from '../support/promql-metric-names';

/**
 * The operator's artefacts read the app's metrics by name: the alerts
 * (deploy/base/monitoring/prometheus-rules.yaml) and the Grafana dashboard
 * (deploy/base/monitoring/dashboards/*.json). Every name they use must be one the running app
 * exports at /metrics, or one of the cluster's own series listed below, so that renaming a
 * metric breaks the build instead of silently blanking a panel or an alert.
 */
const MONITORING = join(__dirname, '..', '..', 'deploy', 'base', 'monitoring');

/** Series that come from the cluster, not from the app: each must really be used. */
const EXTERNAL = {
  // Prometheus, per scrape target.
  up: 'prometheus',
  // kube-state-metrics.
  kube_pod_container_status_restarts_total: 'kube-state-metrics',
  kube_pod_container_resource_limits: 'kube-state-metrics',
  kube_deployment_status_replicas_available: 'kube-state-metrics',
  // cAdvisor, through the kubelet.
  container_memory_working_set_bytes: 'cadvisor',
} as const;

interface RuleFile {
  spec: { groups: { rules: { alert?: string; record?: string; expr: string }[] }[] };
}
interface Dashboard {
  panels: { title?: string; targets?: { expr?: string }[]; panels?: Dashboard['panels'] }[];
  templating?: {
    list: { type: string; query?: string | { query?: string }; definition?: string }[];
  };
}

function alertExpressions(): [string, string][] {
  const rule = parse(readFileSync(join(MONITORING, 'prometheus-rules.yaml'), 'utf8')) as RuleFile;
  return rule.spec.groups.flatMap((g) =>
    g.rules.map((r): [string, string] => [`alert ${r.alert ?? r.record}`, r.expr]),
  );
}

function dashboardExpressions(): [string, string][] {
  const file = join(MONITORING, 'dashboards', 'github-dashboard-backend.json');
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const targets = panels.flatMap((p) =>
    (p.targets ?? []).map((t): [string, string] => [`panel "${p.title}"`, t.expr ?? '']),
  );
  // label_values(metric{...}, label) in the template variables reads a metric too.
  const queries = (dashboard.templating?.list ?? []).filter((v) => v.type === 'query');
  const variables = queries.map((v): [string, string] => [
    'dashboard variable',
    (v.definition ?? (typeof v.query === 'string' ? v.query : v.query?.query) ?? '').replace(
      /label_values\((.*),\s*\w+\)/,
      '$1',
    ),
  ]);
  return [...targets, ...variables];
}

describe('metric names used by the alerts and the dashboard', () => {
  let h: Harness;
  let exported: Set<string>;

  beforeAll(async () => {
    h = await startHarness({ token: 'ghp_ops_metric_names' });
    h.gh.addUser('octocat', 3);
    // Labelled series appear once observed: an API answer, a GitHub call, a cache result, a
    // budget, a 404, a refresh of a cached entry.
    await request(h.server).get('/github/repos/octocat').expect(200);
    await request(h.server).get('/github/repos/octocat').expect(200);
    await request(h.server).get('/github/repos/nobody-here').expect(404);
    const response = await request(h.server).get('/metrics').expect(200);
    exported = exportedMetricNames(response.text);
  });

  afterAll(async () => {
    await h.close();
  });

  it('should read the names out of PromQL, ignoring labels, functions and keywords', () => {
    expect(
      metricNamesIn(
        'sum by (namespace, le) (rate(a_bucket{job="x", route!~"/health.*"}[5m])) / on (namespace) group_left max(b{c="d"}) > 0.5 and c_total offset 5m',
      ),
    ).toEqual(['a_bucket', 'b', 'c_total']);
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le) (rate(x_bucket{ns="$namespace"}[$__rate_interval])))',
      ),
    ).toEqual(['x_bucket']);
  });

  it('should export the series the requests above produce', () => {
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'github_requests_total',
      'github_request_duration_seconds_bucket',
      'cache_results_total',
      'github_rate_limit_remaining',
    ]) {
      expect(exported).toContain(name);
    }
  });

  it.each([
    ['the alerts', alertExpressions],
    ['the dashboard', dashboardExpressions],
  ])('should use in %s only metrics the app exports or the cluster provides', (_, expressions) => {
    const unknown = expressions().flatMap(([where, expr]) =>
      metricNamesIn(expr)
        .filter((name) => !exported.has(name) && !(name in EXTERNAL))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
    expect(expressions().length).toBeGreaterThan(5);
  });

  it('should use every series it lists as external, and none the app exports itself', () => {
    const used = new Set(
      [...alertExpressions(), ...dashboardExpressions()].flatMap(([, expr]) => metricNamesIn(expr)),
    );
    for (const name of Object.keys(EXTERNAL)) {
      expect(used).toContain(name);
      expect(exported).not.toContain(name);
    }
  });
});
