/**
 * Validates deploy/k8s: every manifest file as written, and, where kubectl is installed, what
 * `kubectl kustomize` renders from kustomization.yaml (the objects that `apply -k` would send).
 *
 *   npx tsx scripts/delivery/validate-k8s.ts [dir]        (default: deploy/k8s)
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import {
  findUnknownFields,
  parseManifests,
  readManifestDir,
  validateSchemas,
} from './k8s-manifests';
import type { Manifest, Problem } from './k8s-manifests';

function renderKustomization(dir: string): Manifest[] | undefined {
  let rendered: string;
  try {
    rendered = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`kubectl kustomize ${dir} failed: ${stderr.trim()}`);
  }
  return parseManifests(rendered, 'kustomize');
}

async function main(): Promise<void> {
  const repoRoot = process.cwd();
  const dir = resolve(process.argv[2] ?? 'deploy/k8s');

  const sets: [string, Manifest[]][] = [['files', readManifestDir(dir)]];
  const rendered = renderKustomization(dir);
  if (rendered === undefined) {
    process.stdout.write(
      'kubectl not found: kustomization.yaml is not rendered, only the files are checked\n',
    );
  } else {
    sets.push(['kustomize build', rendered]);
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

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
