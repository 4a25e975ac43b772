/**
 * deploy/k8s: the validator catches what it claims to, and the manifests keep the promises the
 * service depends on (probes on the right routes, non-root, read-only, graceful shutdown, the
 * objects pointing at each other).
 *
 *   npx tsx --test scripts/delivery/k8s-manifests.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
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
import { redisMemoryProblems } from './redis-memory';

const DIR = 'deploy/k8s';
const manifests = readManifestDir(DIR);

/** The manifest of that kind and name, typed as its model (the validator has checked the shape). */
function find<T>(kind: string, name: string): T {
  const found = manifests.find(
    (m) => m.doc.kind === kind && (m.doc.metadata as { name?: string } | undefined)?.name === name,
  );
  assert.ok(found, `${kind}/${name} is missing from ${DIR}`);
  return found.doc as T;
}

const deployment = find<IDeployment>('Deployment', 'github-dashboard-backend');
const podSpec = deployment.spec!.template.spec!;
const api = podSpec.containers.find((c) => c.name === 'api')!;
const configMap = find<IConfigMap>('ConfigMap', 'github-dashboard-backend');
const kustomization = parse(readFileSync(`${DIR}/kustomization.yaml`, 'utf8')) as {
  resources: string[];
  images: { name: string; newTag: string }[];
};

function withDeployment(mutate: (doc: IDeployment) => void): Manifest[] {
  const doc = structuredClone(deployment);
  mutate(doc);
  return [{ source: 'mutated', doc: doc as unknown as Record<string, unknown> }];
}

describe('Kubernetes validator', () => {
  it('should accept the manifests in deploy/k8s', async () => {
    assert.deepEqual(await validateSchemas(manifests), []);
    assert.deepEqual(findUnknownFields(manifests, process.cwd()), []);
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

describe('deploy/k8s', () => {
  it('should list every manifest in kustomization.yaml except the secret example', () => {
    const files = [...new Set(manifests.map((m) => m.source.split('#')[0]))].sort();
    assert.deepEqual(
      [...kustomization.resources].sort(),
      files.filter((f) => f !== 'secret.example.yaml'),
    );
  });

  it('should run 2 replicas of an image pinned to a version tag', () => {
    assert.equal(deployment.spec!.replicas, 2);
    assert.match(api.image!, /:\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    const image = kustomization.images.find((i) => api.image!.startsWith(`${i.name}:`));
    assert.ok(image, 'kustomization.yaml sets no tag for the API image');
    assert.match(image.newTag, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
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
    const secret = find<ISecret>('Secret', 'github-dashboard-backend');
    assert.deepEqual(api.envFrom, [
      { configMapRef: { name: configMap.metadata?.name } },
      { secretRef: { name: secret.metadata?.name } },
    ]);
    assert.deepEqual(
      Object.values(secret.stringData ?? {}),
      [''],
      'the example must hold no real value',
    );
  });

  it('should point the Service, PDB and HPA at the Deployment', () => {
    const podLabels = deployment.spec!.template.metadata?.labels ?? {};
    const matches = (selector: Record<string, string> | undefined) =>
      selector !== undefined && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    assert.ok(matches(find<IService>('Service', 'github-dashboard-backend').spec?.selector));
    assert.ok(
      matches(
        find<IPodDisruptionBudget>('PodDisruptionBudget', 'github-dashboard-backend').spec?.selector
          ?.matchLabels,
      ),
    );
    const hpa = find<IHorizontalPodAutoscaler>(
      'HorizontalPodAutoscaler',
      'github-dashboard-backend',
    );
    assert.deepEqual(hpa.spec?.scaleTargetRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'github-dashboard-backend',
    });
    assert.equal(hpa.spec?.minReplicas, deployment.spec!.replicas);
  });

  it('should route the Ingress to the Service port that targets the container', () => {
    const backend = find<IIngress>('Ingress', 'github-dashboard-backend').spec?.rules?.[0]?.http
      ?.paths[0]?.backend.service;
    assert.ok(backend);
    const service = find<IService>('Service', backend.name);
    const port = service.spec?.ports?.find((p) => p.name === backend.port?.name);
    assert.equal(port?.targetPort, 'http');
  });

  it('should point REDIS_URL at the Redis Service', () => {
    const url = new URL(configMap.data?.REDIS_URL ?? '');
    const service = find<IService>('Service', url.hostname);
    assert.ok(service.spec?.ports?.some((p) => p.port === Number(url.port)));
  });

  it('should bound Redis: maxmemory under its container memory limit, allkeys eviction', () => {
    const redis = find<IDeployment>('Deployment', 'github-dashboard-redis').spec!.template.spec!
      .containers[0];
    assert.deepEqual(
      redisMemoryProblems(redis.args ?? [], redis.resources?.limits?.memory as string | undefined),
      [],
    );
  });
});
