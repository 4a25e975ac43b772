import { Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { createApp, listen } from './app.setup';
import { appConfig } from './config/app.config';
import { assertValidEnvironment } from './config/configuration';
import { httpConfig } from './config/http.config';
import { InvalidEnvironmentError } from './config/validate-env';
import { shutdownTracing } from './tracing/tracing';

async function bootstrap(): Promise<void> {
  const startedAt = performance.now();
  assertValidEnvironment();
  const app = await createApp();
  const { port, metricsPort } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const { shutdownTimeoutMs } = app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY);
  await listen(app, port, '0.0.0.0');
  const logger = new Logger('Bootstrap');
  logger.log(
    { port, metricsPort, startupMs: Math.round(performance.now() - startedAt) },
    'Listening',
  );

  // Graceful shutdown: stop accepting, let in-flight requests finish, close Redis and the metrics
  // listener, export the spans still queued, exit 0. A request that outlives SHUTDOWN_TIMEOUT_MS
  // does not keep the pod alive past its grace period.
  const shutdown = (signal: NodeJS.Signals): void => {
    logger.log({ signal }, 'Shutting down');
    setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'Shutdown timed out; exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    app
      .close()
      .then(() => shutdownTracing())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

bootstrap().catch((error: unknown) => {
  // Configuration errors are the operator's to fix: one line naming the variable, no stack.
  const message =
    error instanceof InvalidEnvironmentError ? error.message : `Start-up failed: ${String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
