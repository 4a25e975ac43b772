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
  /** Requests of a fan-out charged up front and not yet sent. */
  prepaid: number;
}

/**
 * Each client's share of the GitHub budget every client shares: CLIENT_UPSTREAM_LIMIT GitHub
 * requests per CLIENT_UPSTREAM_WINDOW_S, counted in whatever causes them (misses, revalidations,
 * background refreshes, every page of a fan-out), because that is what a client spends of
 * everyone's budget; a cached or coalesced answer causes none and costs nothing.
 *
 * A GitHub request is sent while its client has budget left. A fan-out (the pages of a long list or
 * a star history) is charged whole, up front, by `reserve`, when the client has budget left: so
 * it is never cut off halfway, a 10,000-repository account stays readable (101 pages against a
 * limit of 100), and requests in parallel cannot each start a fan-out on the same last unit of
 * budget. A client's window therefore holds at most the limit − 1 plus one request's pages
 * (docs/throttling.md).
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
    this.payers.run({ client: normalizeIp(ip), prepaid: 0 }, next);
  }

  /**
   * One GitHub request is about to be sent: paid from a fan-out's reservation, else charged to
   * the client whose request caused it. Throws {@link ClientUpstreamBudgetError} when that
   * client's share is used up.
   */
  spendOne(): void {
    const payer = this.payers.getStore();
    if (!payer) {
      return;
    }
    if (payer.prepaid > 0) {
      payer.prepaid--;
      return;
    }
    this.charge(payer, 1);
  }

  /**
   * A fan-out of `requests` GitHub requests is about to start: charges them all now, while the
   * client has budget left (even if they take it past the limit), or refuses the whole fan-out.
   */
  reserve(requests: number): void {
    const payer = this.payers.getStore();
    if (!payer || requests <= 0) {
      return;
    }
    this.charge(payer, requests);
    payer.prepaid += requests;
  }

  private charge(payer: Payer, requests: number): void {
    const { charged, secondsToReset } = this.windows.charge(
      payer.client,
      requests,
      this.windowSeconds * 1000,
      this.limit,
    );
    this.metrics.recordClientUpstream(charged ? 'charged' : 'refused', requests);
    if (!charged) {
      throw new ClientUpstreamBudgetError(this.limit, this.windowSeconds, secondsToReset);
    }
  }
}
