import { HttpConfig } from '../../src/config/http.config';
import { MetricsService } from '../../src/metrics/metrics.service';
import { ClientUpstreamBudget } from '../../src/throttling/upstream-budget/client-upstream-budget';
import { ClientUpstreamWindows } from '../../src/throttling/upstream-budget/client-upstream-windows';

/**
 * The real per-client upstream budget for unit specs, counting in memory: ample unless a spec is
 * about it. Outside a client's context (`runAs`) it charges nothing, as for the service's own work.
 */
export function testClientBudget(
  metrics = new MetricsService(),
  limit = 100_000,
  windowSeconds = 600,
): ClientUpstreamBudget {
  return new ClientUpstreamBudget(new ClientUpstreamWindows(), metrics, {
    clientUpstreamLimit: limit,
    clientUpstreamWindowSeconds: windowSeconds,
  } as HttpConfig);
}
