/**
 * The entry point. First it refuses, in one line, a Node older than package.json's
 * `engines.node`. Then, before any other module loads, it turns on Node's on-disk compile cache
 * (V8 bytecode of every module, kept in NODE_COMPILE_CACHE or the temp directory): the framework's
 * modules are most of the time from spawn to ready, and a restart then skips compiling them.
 * Where the directory cannot be written (a read-only file system with no writable temp), Node
 * reports it and carries on without; NODE_DISABLE_COMPILE_CACHE=1 turns it off. Next, when an
 * OTLP endpoint is configured, the OpenTelemetry SDK starts, before the app's modules are loaded.
 */
import { enableCompileCache } from 'node:module';
import { requiredNodeRange, unsupportedNodeMessage } from './supported-node';

const refusal = unsupportedNodeMessage(process.version, requiredNodeRange());
if (refusal) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}

enableCompileCache();

// Loaded only now, so that everything they import goes through the cache.
import('./tracing/start-from-environment')
  .then(async ({ startTracingFromEnvironment }) => {
    await startTracingFromEnvironment();
    return import('./bootstrap');
  })
  .catch((error: unknown) => {
    process.stderr.write(`Start-up failed: ${String(error)}\n`);
    process.exit(1);
  });
