import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { normalizeIp } from '@nestjs/throttler';
import { AsyncLocalStorage } from 'node:async_hooks';
import { httpConfig } from '../../config/http.config';
import { MetricsService } from '../../metrics/metrics.service';
import { ClientUpstreamBudgetError } from './client-upstream-budget.error';
import { ClientUpstreamWindows } from './client-upstream-windows';

/** Who pays for the GitHub requests made in one client request's async context. */
interface Payer {
  readonly client: string;
  /** Set by the first GitHub request this client request was allowed to make. */
  admitted: boolean;
}

/**
 * Each client's share of the GitHub budget every client shares: CLIENT_UPSTREAM_LIMIT GitHub
 * requests per CLIENT_UPSTREAM_WINDOW_S, counted in whatever causes them (misses, revalidations,
 * background refreshes, every page of a fan-out), because that is what a client spends of
 * everyone's budget; a cached or coalesced answer causes none and costs nothing.
 *
 * A client request is admitted to GitHub while its client has budget left at its first GitHub
 * request; every request it then causes is counted, even past the limit, so that a request is
 * never cut off halfway through its pages (and a 10,000-repository account stays readable). A
 * client's window therefore holds at most the limit plus one request's pages (docs/throttling.md).
 * Work of the service's own (the history refresher) runs outside any client's context and pays
 * nothing here: the governor's reserve and its own share bound it.
 */
@Injectable()
export class ClientUpstreamBudget {
  private readonly payers = new AsyncLocalStorage<Payer>();
  private readonly limit: number;
  private readonly windowSeconds: number;

  constructor(
    private readonly windows: ClientUpstreamWindows,
    private readonly metrics: MetricsService,
    @Inject(httpConfig.KEY) http: ConfigType<typeof httpConfig>,
  ) {
    this.limit = http.clientUpstreamLimit;
    this.windowSeconds = http.clientUpstreamWindowSeconds;
  }

  /**
   * Runs `next` (the rest of a request's handling) as `ip`'s: the same key as the throttle's, an
   * IPv6 client's /64 included, so that one host cannot pass for many.
   */
  runAs(ip: string, next: () => void): void {
    this.payers.run({ client: normalizeIp(ip), admitted: false }, next);
  }

  /**
   * One GitHub request is about to be sent: charges it to the client whose request caused it.
   * Throws {@link ClientUpstreamBudgetError} when that client's share is used up.
   */
  spendOne(): void {
    const payer = this.payers.getStore();
    if (!payer) {
      return;
    }
    const { charged, secondsToReset } = this.windows.charge(
      payer.client,
      1,
      this.windowSeconds * 1000,
      this.limit,
      payer.admitted,
    );
    this.metrics.recordClientUpstream(charged ? 'charged' : 'refused');
    if (!charged) {
      throw new ClientUpstreamBudgetError(this.limit, this.windowSeconds, secondsToReset);
    }
    payer.admitted = true;
  }
}
