import { appConfig } from '../config/app.config';
import { tracingConfig } from '../config/tracing.config';
import { InvalidEnvironmentError } from '../config/validate-env';
import { startTracing } from './tracing';

/**
 * main.ts's step before the app's modules load: starts the OpenTelemetry SDK when the OTEL_*
 * variables set an endpoint, and does nothing otherwise. A wrong variable is left to bootstrap's
 * start-up check, which stops the process with one line naming it (and any other wrong one).
 */
export function startTracingFromEnvironment(): void {
  try {
    startTracing(tracingConfig(), appConfig().version);
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) {
      throw error;
    }
  }
}
