import { appConfig } from '../config/app.config';
import { tracingConfig } from '../config/tracing.config';
import { InvalidEnvironmentError } from '../config/validate-env';

/**
 * main.ts's step before the app's modules load: starts the OpenTelemetry SDK when the OTEL_*
 * variables set an endpoint, and does nothing otherwise. The SDK and its exporters are imported
 * only then: loading them costs ~250 ms of start-up that a service without tracing must not pay.
 * A wrong variable is left to bootstrap's start-up check, which stops the process with one line
 * naming it (and any other wrong one).
 */
export async function startTracingFromEnvironment(): Promise<void> {
  let config: ReturnType<typeof tracingConfig>;
  try {
    config = tracingConfig();
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) {
      return;
    }
    throw error;
  }
  if (!config.enabled) {
    return;
  }
  const { startTracing } = await import('./tracing');
  startTracing(config, appConfig().version);
}
