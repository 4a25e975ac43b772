/**
 * Validates the Kubernetes manifests under deploy/: for each kustomization directory, every
 * manifest file in it as written, and, where kubectl is installed, what `kubectl kustomize`
 * renders from it (the objects that `apply -k` or Argo CD would send): the base, each overlay,
 * and Argo CD's Applications. Custom resources (ServiceMonitor, PrometheusRule, Application,
 * AppProject) are validated against the models generated from their CRDs (k8s-manifests.ts).
 *
 *   npx tsx scripts/delivery/validate-k8s.ts [dir ...]
 *   (default: deploy/base deploy/overlays/staging deploy/overlays/production deploy/argocd)
 */
import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import {
  findUnknownFields,
  parseManifests,
  readManifestDir,
  validateSchemas,
} from './k8s-manifests';
import type { Manifest, Problem } from './k8s-manifests';

export const KUSTOMIZATIONS = [
  'deploy/base',
  'deploy/overlays/staging',
  'deploy/overlays/production',
  'deploy/argocd',
];

/** `kubectl kustomize dir`, parsed; undefined when kubectl is not installed. */
export function renderKustomization(dir: string): Manifest[] | undefined {
  let rendered: string;
  try {
    rendered = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`kubectl kustomize ${dir} failed: ${stderr.trim()}`);
  }
  return parseManifests(rendered, `kustomize ${dir}`);
}

async function main(): Promise<void> {
  const repoRoot = process.cwd();
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : KUSTOMIZATIONS;

  const sets: [string, Manifest[]][] = [];
  for (const dir of dirs.map((d) => resolve(d))) {
    const name = relative(repoRoot, dir);
    sets.push([`${name} files`, readManifestDir(dir)]);
    const rendered = renderKustomization(dir);
    if (rendered === undefined) {
      process.stdout.write(
        `kubectl not found: ${name} is not rendered, only its files are checked\n`,
      );
    } else {
      sets.push([`${name} kustomize build`, rendered]);
    }
  }

  const problems: Problem[] = [];
  for (const [label, manifests] of sets) {
    const found = [
      ...(await validateSchemas(manifests)),
      ...findUnknownFields(manifests, repoRoot),
    ];
    process.stdout.write(`${label}: ${manifests.length} objects, ${found.length} problems\n`);
    problems.push(...found);
  }
  for (const problem of problems) {
    process.stderr.write(`  ${problem.source}: ${problem.message}\n`);
  }
  if (problems.length > 0) {
    process.exit(1);
  }
  process.stdout.write('Kubernetes manifests: valid against the schemas, no unknown fields\n');
}

if (process.argv[1] !== undefined && /validate-k8s\.ts$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
