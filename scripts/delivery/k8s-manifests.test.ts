/**
 * deploy/: the validator catches what it claims to, and the manifests keep the promises the
 * service depends on (probes on the right routes, non-root, read-only, graceful shutdown, the
 * objects pointing at each other), checked on what `kubectl kustomize` renders for each overlay:
 * production pinned to X.Y.Z and staging on `latest`, per-environment Ingress, /metrics on its
 * own port that only Prometheus reaches, the ServiceMonitor, the alerts (each with a runbook
 * section and promtool tests), the Grafana dashboard ConfigMap, Argo CD's Applications, a Redis
 * that asks for the Secret's password (which the API's REDIS_URL carries), and TRUST_PROXY set
 * for the Ingress controller.
 *
 *   npx tsx --test scripts/delivery/k8s-manifests.test.ts          (needs kubectl)
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { parse } from 'yaml';
import {
  findUnknownFields,
  parseManifests,
  readManifestDir,
  validateSchemas,
} from './k8s-manifests';
import type { Manifest } from './k8s-manifests';
import { redisPasswordProblems } from './redis-auth';
import { redisMemoryProblems } from './redis-memory';
import { KUSTOMIZATIONS, renderKustomization } from './validate-k8s';

const BASE = 'deploy/base';
const OVERLAYS = ['staging', 'production'] as const;
type Overlay = (typeof OVERLAYS)[number];
const API_IMAGE = 'docker.io/your-dockerhub-namespace/github-dashboard-backend';
const METRICS_PORT = 9464;
/** The name of the API's own objects. */
const APP = 'github-dashboard-backend';

function render(dir: string): Manifest[] {
  const rendered = renderKustomization(dir);
  assert.ok(rendered, 'kubectl is needed to render the kustomizations (kubectl kustomize)');
  return rendered;
}

const files = readManifestDir(BASE);
const built: Record<Overlay, Manifest[]> = {
  staging: render('deploy/overlays/staging'),
  production: render('deploy/overlays/production'),
};
const argocd = render('deploy/argocd');

/** The object of that kind and name (the API's own unless told), typed as its model. */
function find<T>(manifests: Manifest[], kind: string, name = APP): T {
  const found = manifests.find(
    (m) => m.doc.kind === kind && (m.doc.metadata as { name?: string } | undefined)?.name === name,
  );
  assert.ok(found, `${kind}/${name} is missing`);
  return found.doc as T;
}

/** The production overlay as rendered: what the shape checks below look at. */
const prod = built.production;
const deployment = find<IDeployment>(prod, 'Deployment');
const podSpec = deployment.spec!.template.spec!;
const api = podSpec.containers.find((c) => c.name === 'api')!;
const configMap = find<IConfigMap>(prod, 'ConfigMap');
const service = find<IService>(prod, 'Service');
const ingress = find<IIngress>(prod, 'Ingress');

function withDeployment(mutate: (doc: IDeployment) => void): Manifest[] {
  const doc = structuredClone(deployment);
  mutate(doc);
  return [{ source: 'mutated', doc: doc as unknown as Record<string, unknown> }];
}

function mutated(kind: string, name: string, mutate: (doc: Record<string, unknown>) => void) {
  const doc = structuredClone(find<Record<string, unknown>>([...prod, ...argocd], kind, name));
  mutate(doc);
  return [{ source: 'mutated', doc }];
}

describe('Kubernetes validator', () => {
  it('should accept the base files and every rendered kustomization', async () => {
    for (const manifests of [files, built.staging, built.production, argocd]) {
      assert.deepEqual(await validateSchemas(manifests), []);
      assert.deepEqual(findUnknownFields(manifests, process.cwd()), []);
    }
  });

  it('should validate every kustomization directory there is', () => {
    const overlays = readdirSync('deploy/overlays').map((d) => `deploy/overlays/${d}`);
    assert.deepEqual([...KUSTOMIZATIONS].sort(), [BASE, ...overlays, 'deploy/argocd'].sort());
  });

  it('should report a misspelled field at any depth, with its path', () => {
    const problems = findUnknownFields(
      withDeployment((d) => {
        const container = d.spec!.template.spec!.containers[0] as unknown as Record<
          string,
          unknown
        >;
        container.livenessProbes = container.livenessProbe;
        (d.spec!.strategy!.rollingUpdate as Record<string, unknown>).maxSurges = 1;
      }),
      process.cwd(),
    );
    const messages = problems.map((p) => p.message).sort();
    assert.equal(messages.length, 2);
    assert.match(messages[0], /^spec\.strategy\.rollingUpdate\.maxSurges: /);
    assert.match(
      messages[1],
      /^spec\.template\.spec\.containers\[0\]\.livenessProbes: .*'"livenessProbes"' does not exist in type 'IContainer'/,
    );
  });

  it('should report a value of the wrong type against the schema', async () => {
    const problems = await validateSchemas(
      withDeployment((d) => {
        (d.spec as unknown as Record<string, unknown>).replicas = 'two';
      }),
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /data\/spec\/replicas must be integer/);
  });

  it('should check the custom resources against their CRDs: ServiceMonitor, PrometheusRule, Application', async () => {
    const monitor = mutated('ServiceMonitor', APP, (d) => {
      ((d.spec as IServiceMonitor['spec']).endpoints![0] as Record<string, unknown>).portName =
        'metrics';
    });
    assert.match(
      findUnknownFields(monitor, process.cwd())[0]?.message ?? '',
      /^spec\.endpoints\[0\]\.portName: /,
    );
    const rule = mutated('PrometheusRule', APP, (d) => {
      (d.spec as { groups: { rules: unknown[] }[] }).groups[0].rules[0] = { alert: 'X' };
    });
    assert.match(
      (await validateSchemas(rule))[0]?.message ?? '',
      /must have required property '?expr'?/,
    );
    const application = mutated('Application', 'github-dashboard-production', (d) => {
      (d.spec as Record<string, unknown>).syncPolicy = { automated: { prune: 'yes' } };
    });
    assert.match(
      (await validateSchemas(application))[0]?.message ?? '',
      /syncPolicy\/automated\/prune must be boolean/,
    );
  });

  it('should report a kind that Kubernetes does not have', async () => {
    const [problem] = await validateSchemas([
      { source: 'x', doc: { apiVersion: 'apps/v1', kind: 'Deploymnet' } },
    ]);
    assert.match(problem.message, /unknown kind Deploymnet in apps\/v1/);
  });

  it('should refuse YAML with duplicate keys', () => {
    assert.throws(() => parseManifests('a: 1\na: 2\n', 'dup.yaml'), /dup\.yaml#0/);
  });
});

describe('deploy/base', () => {
  const kustomization = parse(readFileSync(`${BASE}/kustomization.yaml`, 'utf8')) as {
    resources: string[];
    images?: unknown;
  };

  it('should list every manifest in kustomization.yaml except the secret example', () => {
    const own = (dir: string) =>
      readdirSync(`${BASE}/${dir}`)
        .filter((f) => /\.yaml$/.test(f) && f !== 'kustomization.yaml')
        .map((f) => (dir === '.' ? f : `${dir}/${f}`));
    const manifestFiles = [...own('.'), ...own('monitoring')].filter(
      (f) => f !== 'secret.example.yaml' && f !== 'monitoring/alerts.test.yaml',
    );
    assert.deepEqual([...kustomization.resources].sort(), manifestFiles.sort());
  });

  it('should leave the API image tag to the overlays', () => {
    assert.equal(kustomization.images, undefined);
    const baseApi = find<IDeployment>(files, 'Deployment').spec!.template.spec!.containers[0];
    assert.equal(baseApi.image, API_IMAGE);
  });
});

describe('overlays: staging and production', () => {
  const imageOf = (overlay: Overlay) =>
    find<IDeployment>(built[overlay], 'Deployment').spec!.template.spec!.containers.find(
      (c) => c.name === 'api',
    )!;

  it('should pin production to an immutable X.Y.Z, never latest', () => {
    assert.match(imageOf('production').image!, new RegExp(`^${API_IMAGE}:\\d+\\.\\d+\\.\\d+$`));
    assert.equal(imageOf('production').imagePullPolicy, 'IfNotPresent');
  });

  it('should let staging follow latest, pulled again at each start', () => {
    assert.equal(imageOf('staging').image, `${API_IMAGE}:latest`);
    assert.equal(imageOf('staging').imagePullPolicy, 'Always');
  });

  it('should put each environment in its own namespace, every object included', () => {
    const namespaces = OVERLAYS.map((overlay) => {
      const [namespace] = built[overlay]
        .filter((m) => m.doc.kind === 'Namespace')
        .map((m) => (m.doc.metadata as { name: string }).name);
      for (const m of built[overlay].filter((o) => o.doc.kind !== 'Namespace')) {
        assert.equal((m.doc.metadata as { namespace?: string }).namespace, namespace, m.source);
      }
      return namespace;
    });
    assert.deepEqual(namespaces, ['github-dashboard-staging', 'github-dashboard']);
  });

  it('should give each environment its own Ingress host, TLS secret and cert-manager issuer', () => {
    const seen = OVERLAYS.map((overlay) => {
      const { metadata, spec } = find<IIngress>(built[overlay], 'Ingress');
      const host = spec!.rules![0].host!;
      assert.deepEqual(spec!.tls![0].hosts, [host], `${overlay}: the certificate covers the host`);
      const issuer = metadata!.annotations!['cert-manager.io/cluster-issuer'];
      assert.ok(issuer, `${overlay}: cert-manager issuer`);
      return [host, spec!.tls![0].secretName, issuer];
    });
    for (let i = 0; i < 3; i++) {
      assert.notEqual(seen[0][i], seen[1][i]);
    }
  });
});

describe('the API pods (production overlay as rendered)', () => {
  it('should run 2 replicas, as many as the HPA keeps at least', () => {
    assert.equal(deployment.spec!.replicas, 2);
  });

  it('should probe liveness on /health and readiness on /health/ready, on the container port', () => {
    assert.equal(api.livenessProbe?.httpGet?.path, '/health');
    assert.equal(api.readinessProbe?.httpGet?.path, '/health/ready');
    assert.equal(api.startupProbe?.httpGet?.path, '/health');
    const port = api.ports?.find((p) => p.name === api.livenessProbe?.httpGet?.port);
    assert.equal(port?.containerPort, 8000);
  });

  it('should run as non-root with a read-only root filesystem, no privilege escalation and no capabilities', () => {
    assert.equal(podSpec.securityContext?.runAsNonRoot, true);
    assert.equal(podSpec.securityContext?.runAsUser, 1000);
    assert.equal(api.securityContext?.readOnlyRootFilesystem, true);
    assert.equal(api.securityContext?.allowPrivilegeEscalation, false);
    assert.deepEqual(api.securityContext?.capabilities?.drop, ['ALL']);
  });

  it('should set requests and limits for CPU and memory', () => {
    for (const bound of ['requests', 'limits'] as const) {
      assert.ok(api.resources?.[bound]?.cpu, `${bound}.cpu`);
      assert.ok(api.resources?.[bound]?.memory, `${bound}.memory`);
    }
  });

  it('should give shutdown the preStop pause plus the GitHub timeout before the kill', () => {
    const githubTimeoutSeconds = Number(configMap.data?.GITHUB_TIMEOUT_MS) / 1000;
    const preStopSeconds = api.lifecycle?.preStop?.sleep?.seconds ?? 0;
    assert.ok(githubTimeoutSeconds > 0 && preStopSeconds > 0);
    assert.ok(
      (podSpec.terminationGracePeriodSeconds ?? 30) >= preStopSeconds + githubTimeoutSeconds,
    );
  });

  it('should take its settings from the ConfigMap and the Secret of the example', () => {
    const secret = find<ISecret>(files, 'Secret');
    assert.deepEqual(api.envFrom, [
      { configMapRef: { name: configMap.metadata?.name } },
      { secretRef: { name: secret.metadata?.name } },
    ]);
    assert.deepEqual(Object.keys(secret.stringData ?? {}), [
      'GITHUB_TOKEN',
      'GITHUB_APP_ID',
      'GITHUB_APP_PRIVATE_KEY',
      'DATABASE_URL',
      'REDIS_PASSWORD',
      'GITHUB_WEBHOOK_SECRET',
    ]);
    assert.ok(
      Object.values(secret.stringData ?? {}).every((value) => value === ''),
      'the example must hold no real value',
    );
  });

  it("should take history's DATABASE_URL from the Secret, required, and mount no embedded store", () => {
    const secret = find<ISecret>(files, 'Secret');
    assert.ok('DATABASE_URL' in (secret.stringData ?? {}), 'the example Secret names DATABASE_URL');
    assert.deepEqual(
      api.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef,
      { name: secret.metadata?.name, key: 'DATABASE_URL' },
    );
    assert.ok(
      !(api.volumeMounts ?? []).some((mount) => mount.mountPath === '/data'),
      'no volume for the embedded store: the pod uses PostgreSQL',
    );
  });

  it('should point the Service, PDB and HPA at the Deployment', () => {
    const podLabels = deployment.spec!.template.metadata?.labels ?? {};
    const matches = (selector: Record<string, string> | undefined) =>
      selector !== undefined && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    assert.ok(matches(service.spec?.selector));
    assert.ok(
      matches(find<IPodDisruptionBudget>(prod, 'PodDisruptionBudget').spec?.selector?.matchLabels),
    );
    const hpa = find<IHorizontalPodAutoscaler>(prod, 'HorizontalPodAutoscaler');
    assert.deepEqual(hpa.spec?.scaleTargetRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'github-dashboard-backend',
    });
    assert.equal(hpa.spec?.minReplicas, deployment.spec!.replicas);
  });

  it('should point REDIS_URL at the Redis Service', () => {
    const url = new URL(api.env?.find((variable) => variable.name === 'REDIS_URL')?.value ?? '');
    const redis = find<IService>(prod, 'Service', url.hostname);
    assert.ok(redis.spec?.ports?.some((p) => p.port === Number(url.port)));
  });

  it('should bound Redis: maxmemory under its container memory limit, allkeys eviction', () => {
    const redis = find<IDeployment>(prod, 'Deployment', 'github-dashboard-redis').spec!.template
      .spec!.containers[0];
    assert.deepEqual(
      redisMemoryProblems(redis.args ?? [], redis.resources?.limits?.memory as string | undefined),
      [],
    );
  });
});

describe('Redis: asks for the Secret password, which the API gives (every overlay as rendered)', () => {
  const secret = find<ISecret>(files, 'Secret');
  const fromSecret = { name: secret.metadata?.name, key: 'REDIS_PASSWORD' };

  for (const overlay of OVERLAYS) {
    const apiPod = find<IDeployment>(built[overlay], 'Deployment');
    const apiContainer = apiPod.spec!.template.spec!.containers.find((c) => c.name === 'api')!;
    const redisContainer = find<IDeployment>(built[overlay], 'Deployment', 'github-dashboard-redis')
      .spec!.template.spec!.containers[0];
    const envOf = (container: typeof apiContainer) =>
      Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable]));

    it(`${overlay}: should run redis-server with --requirepass, REDIS_URL and the probe with the same password`, () => {
      assert.deepEqual(
        redisPasswordProblems({
          args: redisContainer.args ?? [],
          env: Object.fromEntries(
            (redisContainer.env ?? []).map((variable) => [variable.name, variable.value]),
          ),
          healthCheck: redisContainer.readinessProbe?.exec?.command ?? [],
          clientUrl: envOf(apiContainer).REDIS_URL?.value,
        }),
        [],
      );
    });

    it(`${overlay}: should take REDIS_PASSWORD from the Secret, required, in both pods, defined before it is used`, () => {
      for (const [container, usedBy] of [
        [redisContainer, 'REDISCLI_AUTH'],
        [apiContainer, 'REDIS_URL'],
      ] as const) {
        const names = (container.env ?? []).map((variable) => variable.name);
        const password = envOf(container).REDIS_PASSWORD;
        assert.deepEqual(password?.valueFrom?.secretKeyRef, fromSecret, container.name);
        // $(NAME) is replaced only by a variable listed before it; a later one leaves it as is.
        assert.ok(
          names.indexOf('REDIS_PASSWORD') < names.indexOf(usedBy),
          `${container.name}: REDIS_PASSWORD before ${usedBy}`,
        );
      }
      assert.ok(
        !('REDIS_URL' in (find<IConfigMap>(built[overlay], 'ConfigMap').data ?? {})),
        'no second REDIS_URL, without the password, in the ConfigMap',
      );
    });
  }

  it('should let only the API pods reach the Redis port', () => {
    const policy = find<INetworkPolicy>(prod, 'NetworkPolicy', 'github-dashboard-redis');
    const redisPod = find<IDeployment>(prod, 'Deployment', 'github-dashboard-redis').spec!.template
      .metadata!.labels!;
    for (const [key, value] of Object.entries(policy.spec?.podSelector?.matchLabels ?? {})) {
      assert.equal(redisPod[key], value, `the policy selects the Redis pod: ${key}`);
    }
    assert.deepEqual(policy.spec?.policyTypes, ['Ingress']);
    assert.deepEqual(policy.spec?.ingress, [
      {
        from: [{ podSelector: { matchLabels: deployment.spec!.selector.matchLabels } }],
        ports: [{ protocol: 'TCP', port: 6379 }],
      },
    ]);
  });
});

describe('client addresses behind the Ingress: TRUST_PROXY', () => {
  for (const overlay of OVERLAYS) {
    it(`${overlay}: should believe X-Forwarded-For from the Ingress controller, one hop`, () => {
      const data = find<IConfigMap>(built[overlay], 'ConfigMap').data ?? {};
      assert.ok(
        'TRUST_PROXY' in data,
        'TRUST_PROXY is missing: every client would share one limit',
      );
      // One hop: ingress-nginx writes the client's address as the one X-Forwarded-For entry.
      assert.equal(data.TRUST_PROXY, '1');
      assert.equal(find<IIngress>(built[overlay], 'Ingress').spec?.ingressClassName, 'nginx');
    });
  }
});

describe('metrics: inside the cluster only', () => {
  it('should serve /metrics on METRICS_PORT 9464, a container port named metrics', () => {
    assert.equal(configMap.data?.METRICS_PORT, String(METRICS_PORT));
    assert.equal(configMap.data?.PORT, '8000');
    const port = api.ports?.find((p) => p.name === 'metrics');
    assert.equal(port?.containerPort, METRICS_PORT);
  });

  it('should name the metrics port on the Service, for Prometheus', () => {
    const port = service.spec?.ports?.find((p) => p.name === 'metrics');
    assert.equal(port?.targetPort, 'metrics');
  });

  it('should route the Ingress, in every overlay, only to the Service port that targets http', () => {
    for (const overlay of OVERLAYS) {
      const { spec } = find<IIngress>(built[overlay], 'Ingress');
      const backends = [
        spec?.defaultBackend?.service,
        ...(spec?.rules ?? []).flatMap((r) => r.http?.paths.map((p) => p.backend.service) ?? []),
      ].filter((b) => b !== undefined);
      assert.ok(backends.length > 0);
      for (const backend of backends) {
        const target = find<IService>(built[overlay], 'Service', backend.name).spec?.ports?.find(
          (p) =>
            (backend.port?.name !== undefined && p.name === backend.port.name) ||
            (backend.port?.number !== undefined && p.port === backend.port.number),
        );
        assert.equal(
          target?.targetPort,
          'http',
          `${overlay}: the Ingress reaches ${backend.port?.name}`,
        );
      }
    }
    assert.ok(ingress);
  });

  it('should route GitHub webhook deliveries (/webhooks/github) to the API, in every overlay', () => {
    for (const overlay of OVERLAYS) {
      const { spec } = find<IIngress>(built[overlay], 'Ingress');
      const routed = (spec?.rules ?? []).some((rule) =>
        (rule.http?.paths ?? []).some(
          (p) =>
            p.backend.service?.name === APP &&
            (p.pathType === 'Prefix'
              ? ['/', '/webhooks', '/webhooks/github'].includes(
                  (p.path ?? '/').replace(/\/$/, '') || '/',
                )
              : p.path === '/webhooks/github'),
        ),
      );
      assert.ok(routed, `${overlay}: no Ingress path reaches /webhooks/github`);
    }
    const secret = api.env?.find((e) => e.name === 'GITHUB_WEBHOOK_SECRET');
    assert.equal(secret?.valueFrom?.secretKeyRef?.key, 'GITHUB_WEBHOOK_SECRET');
    assert.equal(secret?.valueFrom?.secretKeyRef?.optional, true);
  });

  it('should let only the monitoring namespace reach the metrics port', () => {
    const policy = find<INetworkPolicy>(prod, 'NetworkPolicy');
    assert.deepEqual(policy.spec?.podSelector?.matchLabels, deployment.spec!.selector.matchLabels);
    const rules = policy.spec?.ingress ?? [];
    const forPort = (name: string) => rules.filter((r) => r.ports?.some((p) => p.port === name));
    assert.deepEqual(
      forPort('http').map((r) => r.from),
      [undefined],
      'http: from anywhere',
    );
    const metrics = forPort('metrics');
    assert.equal(metrics.length, 1);
    assert.deepEqual(metrics[0].from, [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
  });

  it('should have a ServiceMonitor scraping /metrics on the Service named port metrics', () => {
    const monitor = find<IServiceMonitor>(prod, 'ServiceMonitor');
    const labels = service.metadata?.labels ?? {};
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels ?? {})) {
      assert.equal(labels[key], value, `the Service carries ${key}=${value}`);
    }
    assert.deepEqual(
      monitor.spec.endpoints?.map((e) => [e.port, e.path]),
      [['metrics', '/metrics']],
    );
  });
});

describe('alerts and dashboard', () => {
  const rule = find<IPrometheusRule>(prod, 'PrometheusRule');
  const alerts = (rule.spec.groups ?? []).flatMap((g) => g.rules ?? []).filter((r) => r.alert);
  const operating = readFileSync('docs/operating.md', 'utf8');
  const anchors = new Set(
    [...operating.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
  const unitTests = parse(readFileSync(`${BASE}/monitoring/alerts.test.yaml`, 'utf8')) as {
    tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
  };
  const cases = unitTests.tests.flatMap((t) => t.alert_rule_test);

  it('should have the alerts an operator needs', () => {
    const names = alerts.map((a) => a.alert);
    for (const name of [
      'GithubDashboardBudgetLow',
      'GithubDashboardBudgetExhausted',
      'GithubDashboardUpstreamErrors',
      'GithubDashboardHttp5xx',
      'GithubDashboardLatencyHigh',
      'GithubDashboardServingStale',
      'GithubDashboardPodRestarting',
      'GithubDashboardMemoryNearLimit',
      'GithubDashboardRedisUnavailable',
    ]) {
      assert.ok(names.includes(name), `${name} is missing`);
    }
    assert.equal(new Set(names).size, names.length);
  });

  it('should give each alert a severity, a summary and a runbook section in docs/operating.md', () => {
    for (const alert of alerts) {
      assert.match(String(alert.labels?.severity), /^(warning|critical)$/, alert.alert);
      assert.ok(alert.annotations?.summary, `${alert.alert}: summary`);
      const url = alert.annotations?.runbook_url ?? '';
      assert.equal(url, `docs/operating.md#${alert.alert!.toLowerCase()}`);
      assert.ok(
        anchors.has(alert.alert!.toLowerCase()),
        `docs/operating.md has no "### ${alert.alert}"`,
      );
    }
  });

  it('should test each alert in alerts.test.yaml both firing and silent', () => {
    for (const alert of alerts) {
      const own = cases.filter((c) => c.alertname === alert.alert);
      assert.ok(
        own.some((c) => c.exp_alerts.length > 0),
        `${alert.alert}: no firing case`,
      );
      assert.ok(
        own.some((c) => c.exp_alerts.length === 0),
        `${alert.alert}: no silent case`,
      );
    }
  });

  it('should ship the Grafana dashboard JSON file, unchanged, in a ConfigMap for the sidecar', () => {
    for (const overlay of OVERLAYS) {
      const dashboards = built[overlay].filter(
        (m) =>
          m.doc.kind === 'ConfigMap' &&
          (m.doc.metadata as IConfigMap['metadata'])?.labels?.grafana_dashboard === '1',
      );
      assert.equal(dashboards.length, 1, overlay);
      const { data } = dashboards[0].doc as unknown as IConfigMap;
      assert.deepEqual(Object.keys(data ?? {}), ['github-dashboard-backend.json']);
      const json = readFileSync(
        `${BASE}/monitoring/dashboards/github-dashboard-backend.json`,
        'utf8',
      );
      assert.equal(data!['github-dashboard-backend.json'], json);
      const dashboard = JSON.parse(json) as {
        uid: string;
        panels: { type: string; targets?: unknown[] }[];
      };
      assert.equal(dashboard.uid, 'github-dashboard-backend');
      assert.ok(
        dashboard.panels.filter((p) => p.type !== 'row').every((p) => (p.targets ?? []).length > 0),
      );
    }
  });
});

describe('Argo CD: one Application per overlay', () => {
  const project = find<IAppProject>(argocd, 'AppProject', 'github-dashboard');

  for (const overlay of OVERLAYS) {
    it(`should sync deploy/overlays/${overlay} automatically, with prune and self-heal`, () => {
      const app = find<IApplication>(argocd, 'Application', `github-dashboard-${overlay}`);
      const source = app.spec.source!;
      assert.equal(source.path, `deploy/overlays/${overlay}`);
      assert.ok(existsSync(`${source.path}/kustomization.yaml`));
      assert.equal(source.targetRevision, 'main');
      assert.ok(project.spec.sourceRepos?.includes(source.repoURL));
      assert.equal(app.spec.project, 'github-dashboard');
      const namespace = built[overlay].find((m) => m.doc.kind === 'Namespace')!.doc.metadata as {
        name: string;
      };
      assert.equal(app.spec.destination.namespace, namespace.name);
      assert.ok(
        project.spec.destinations?.some((d) => d.namespace === namespace.name),
        'the project lets the Application write there',
      );
      assert.deepEqual(app.spec.syncPolicy?.automated, { prune: true, selfHeal: true });
      assert.ok(
        app.spec.ignoreDifferences?.some(
          (d) => d.kind === 'Deployment' && d.jsonPointers?.includes('/spec/replicas'),
        ),
        'the HPA owns the replica count',
      );
    });
  }
});
