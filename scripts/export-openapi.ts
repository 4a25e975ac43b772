/**
 * Writes the OpenAPI document of the real application to a file, for linting and for clients.
 *
 *   node scripts/export-openapi.ts [out-file]     (default: openapi.json)
 *
 * It boots the same app as production (createApp from src/app.setup.ts), without listening, so
 * the document cannot drift from the routes that actually run.
 *
 * Nest resolves constructor parameters from decorator metadata, which neither Node's type
 * stripping nor tsx (esbuild) emits. So this script compiles src/ on the fly with the project's
 * own TypeScript and tsconfig.json, the way ts-jest does for the end-to-end tests.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// The entry script's own path: this file runs as ESM under Node and as CommonJS under tsx.
const repoRoot = resolve(dirname(process.argv[1] ?? 'scripts/export-openapi.ts'), '..');

function projectCompilerOptions(): ts.CompilerOptions {
  const configPath = join(repoRoot, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (error) {
    throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  }
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot);
  return {
    ...options,
    module: ts.ModuleKind.CommonJS,
    noEmit: false,
    sourceMap: false,
    inlineSourceMap: true,
  };
}

function compileProjectTypeScriptOnLoad(): void {
  const compilerOptions = projectCompilerOptions();
  const isProjectTs = (url: string): boolean =>
    url.startsWith('file:') && url.endsWith('.ts') && !url.includes('/node_modules/');

  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        // `import './app.module'` names no extension; TypeScript finds the .ts file, so do the same.
        if (
          specifier.startsWith('.') &&
          context.parentURL !== undefined &&
          isProjectTs(context.parentURL)
        ) {
          const parentDir = dirname(fileURLToPath(context.parentURL));
          for (const candidate of [`${specifier}.ts`, `${specifier}/index.ts`]) {
            if (existsSync(join(parentDir, candidate))) {
              return nextResolve(candidate, context);
            }
          }
        }
        throw error;
      }
    },
    load(url, context, nextLoad) {
      if (!isProjectTs(url) || url.endsWith('/scripts/export-openapi.ts')) {
        return nextLoad(url, context);
      }
      const fileName = fileURLToPath(url);
      const { outputText } = ts.transpileModule(readFileSync(fileName, 'utf8'), {
        fileName,
        compilerOptions,
      });
      return { format: 'commonjs', source: outputText, shortCircuit: true };
    },
  });
}

async function exportOpenApi(outFile: string): Promise<void> {
  // Before the app is loaded: config namespaces read the environment when they are evaluated.
  process.env.APP_ENV = 'test';
  process.env.LOG_LEVEL = 'silent';
  // The document does not depend on history's database; opening the embedded one would cost seconds.
  process.env.HISTORY_ENABLED = 'false';
  compileProjectTypeScriptOnLoad();

  const { createApp, buildOpenApiDocument } = await import('../src/app.setup');
  const app = await createApp();
  try {
    await app.init();
    const document = buildOpenApiDocument(app);
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`OpenAPI ${document.openapi} document written to ${outFile}\n`);
  } finally {
    await app.close();
  }
}

exportOpenApi(resolve(process.argv[2] ?? 'openapi.json')).catch((error: unknown) => {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`OpenAPI export failed: ${detail}\n`);
  process.exit(1);
});
