/**
 * Validation of Kubernetes manifests without a cluster:
 * - against the Kubernetes OpenAPI schemas, through the models of `kubernetes-models`
 *   (`@kubernetes-models/validate`): types, enums, required fields, formats;
 * - for unknown fields, which those schemas let through (they do not forbid additional
 *   properties, and neither does `kubectl apply` without server-side validation): each manifest
 *   is type-checked as an object literal against the model's TypeScript interface, whose excess
 *   property check names any field Kubernetes does not know, at any depth.
 *
 * kubernetes-models is ESM-only, so its models are loaded with import(), which tsx keeps native.
 * Custom resources of the operators this repository targets are checked the same way, with the
 * models generated from their CRDs: prometheus-operator (ServiceMonitor, PrometheusRule) and
 * Argo CD (Application, AppProject). A kind of any other group is reported as unknown.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

export interface Manifest {
  /** Where it came from, for messages: `deployment.yaml#0 (Deployment/github-dashboard-backend)`. */
  source: string;
  doc: Record<string, unknown>;
}

export interface Problem {
  source: string;
  message: string;
}

/** Parses every document of a multi-document YAML text; YAML errors and duplicate keys throw. */
export function parseManifests(text: string, sourceName: string): Manifest[] {
  return parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })
    .map((document, index) => {
      const problems = [...document.errors, ...document.warnings];
      if (problems.length > 0) {
        throw new Error(`${sourceName}#${index}: ${problems.map((p) => p.message).join('; ')}`);
      }
      const doc = document.toJS() as unknown;
      const described = doc as { kind?: unknown; metadata?: { name?: unknown } } | null;
      const name = typeof described?.metadata?.name === 'string' ? described.metadata.name : '?';
      const what = typeof described?.kind === 'string' ? ` (${described.kind}/${name})` : '';
      return { source: `${sourceName}#${index}${what}`, doc };
    })
    .filter(
      (m): m is Manifest => m.doc !== null && typeof m.doc === 'object' && !Array.isArray(m.doc),
    );
}

/** Every manifest file in a directory, except kustomize's own configuration. */
export function readManifestDir(dir: string): Manifest[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && !/^kustomization\.ya?ml$/.test(name))
    .sort()
    .flatMap((name) => parseManifests(readFileSync(join(dir, name), 'utf8'), name));
}

/** API groups of custom resources, and the package holding models generated from their CRDs. */
const CRD_MODEL_PACKAGES: Record<string, string> = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'argoproj.io': '@kubernetes-models/argo-cd',
};

interface ModelLocation {
  /** Module that exports the model class and its `I<Kind>` interface. */
  module: string;
  kind: string;
}

function modelLocation(manifest: Manifest): ModelLocation | Problem {
  const { apiVersion, kind } = manifest.doc;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9]+$/.test(kind)) {
    return { source: manifest.source, message: 'apiVersion and kind must both be set' };
  }
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion)) {
    return { source: manifest.source, message: `malformed apiVersion "${apiVersion}"` };
  }
  // The core group ("v1") lives at kubernetes-models/v1; others at kubernetes-models/<group>/<version>,
  // custom resources at <their package>/<group>/<version>.
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const modelPackage = CRD_MODEL_PACKAGES[group] ?? 'kubernetes-models';
  return { module: `${modelPackage}/${apiVersion}/${kind}`, kind };
}

type ModelClass = new (data: unknown) => { validate(): void };

/** Schema validation with the official models; one problem per invalid manifest. */
export async function validateSchemas(manifests: Manifest[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const manifest of manifests) {
    const location = modelLocation(manifest);
    if ('message' in location) {
      problems.push(location);
      continue;
    }
    let Model: ModelClass | undefined;
    try {
      const loaded = (await import(location.module)) as Record<string, ModelClass | undefined>;
      Model = loaded[location.kind];
    } catch {
      Model = undefined;
    }
    if (Model === undefined) {
      problems.push({
        source: manifest.source,
        message: `unknown kind ${location.kind} in ${String(manifest.doc.apiVersion)} (no such Kubernetes API)`,
      });
      continue;
    }
    try {
      new Model(manifest.doc).validate();
    } catch (error) {
      problems.push({
        source: manifest.source,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return problems;
}

/**
 * Unknown (or mistyped) fields: each manifest becomes `const m: I<Kind> = { ...json... }` in a
 * virtual TypeScript file, type-checked against kubernetes-models' declarations.
 */
export function findUnknownFields(manifests: Manifest[], repoRoot: string): Problem[] {
  const located = manifests
    .map((manifest) => ({ manifest, location: modelLocation(manifest) }))
    .filter(
      (m): m is { manifest: Manifest; location: ModelLocation } => !('message' in m.location),
    );

  const fileName = join(repoRoot, '__k8s_manifests_check__.ts');
  const lines: string[] = [];
  const owners: { source: string; firstLine: number }[] = [];
  located.forEach(({ location }, index) => {
    lines.push(`import type { I${location.kind} as T${index} } from '${location.module}';`);
  });
  let lineCount = lines.length;
  located.forEach(({ manifest }, index) => {
    const statement = `export const m${index}: T${index} = ${JSON.stringify(manifest.doc, null, 2)};`;
    owners.push({ source: manifest.source, firstLine: lineCount });
    lines.push(statement);
    lineCount += statement.split('\n').length;
  });
  const text = lines.join('\n');

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (path) => (path === fileName ? text : readFile(path));
  host.fileExists = (
    (exists) => (path: string) =>
      path === fileName || exists(path)
  )(host.fileExists.bind(host));
  host.getSourceFile = (path, languageVersion, ...rest) =>
    path === fileName
      ? ts.createSourceFile(path, text, languageVersion, true)
      : getSourceFile(path, languageVersion, ...rest);

  const program = ts.createProgram([fileName], options, host);
  const source = program.getSourceFile(fileName);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === fileName && d.start !== undefined)
    .flatMap((d) => {
      const { line } = source!.getLineAndCharacterOfPosition(d.start!);
      const owner = [...owners].reverse().find((o) => o.firstLine <= line);
      // An import that does not resolve is an unknown kind, which validateSchemas reports.
      if (owner === undefined) {
        return [];
      }
      return {
        source: owner.source,
        message: `${jsonPathAt(source!, d.start!)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      };
    });
}

/** `spec.template.spec.containers[0].livenessProbes`, from the object literal around a position. */
function jsonPathAt(source: ts.SourceFile, position: number): string {
  const path: string[] = [];
  const visit = (node: ts.Node): void => {
    if (position < node.getStart(source) || position >= node.getEnd()) {
      return;
    }
    if (ts.isPropertyAssignment(node)) {
      const name = ts.isStringLiteral(node.name) ? node.name.text : node.name.getText(source);
      path.push(name);
    }
    if (ts.isArrayLiteralExpression(node)) {
      const index = node.elements.findIndex(
        (e) => position >= e.getStart(source) && position < e.getEnd(),
      );
      if (index >= 0) {
        path[path.length - 1] = `${path[path.length - 1] ?? ''}[${index}]`;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return path.join('.') || '(document)';
}
