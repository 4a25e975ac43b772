/**
 * The ways GitHub fails that the service must survive:
 * - `server-error`: 500 with a JSON body
 * - `bad-gateway-html`: 502 with GitHub's HTML "Unicorn!" page
 * - `invalid-json`: 200, JSON content type, truncated body
 * - `reset`: the TCP connection is reset before any answer
 * - `hang`: the request is accepted and never answered (until `close()`)
 * - `primary-rate-limit`: 403, `x-ratelimit-remaining: 0`, reset in the future, "API rate limit exceeded"
 * - `secondary-rate-limit`: 403, `retry-after`, "You have exceeded a secondary rate limit"
 * - `not-found`: 404 `{"message":"Not Found"}`
 * - `bad-credentials`: 401 `{"message":"Bad credentials"}` (a revoked token)
 */
export type FailureMode =
  | 'server-error'
  | 'bad-gateway-html'
  | 'invalid-json'
  | 'reset'
  | 'hang'
  | 'primary-rate-limit'
  | 'secondary-rate-limit'
  | 'not-found'
  | 'bad-credentials';

export interface FailurePlan {
  mode: FailureMode;
  /** Only requests whose path (query included) starts with this; every request when omitted. */
  pathPrefix?: string;
  /** How many matching requests fail; default 1. `Infinity` for "until reset()". */
  times?: number;
  /** `primary-rate-limit`: when the budget comes back; default 30 minutes from now. */
  resetEpochSeconds?: number;
  /** `secondary-rate-limit`: the `retry-after` seconds; default 60. */
  retryAfterSeconds?: number;
}

/** Failure plans in the order they were made; the first one matching a request is used up first. */
export class FailurePlans {
  private plans: (FailurePlan & { left: number })[] = [];

  add(plan: FailurePlan): void {
    this.plans.push({ ...plan, left: plan.times ?? 1 });
  }

  /** The plan this request must fail by, if any, counting it as used. */
  take(path: string): FailurePlan | undefined {
    const plan = this.plans.find((p) => p.left > 0 && path.startsWith(p.pathPrefix ?? ''));
    if (plan) {
      plan.left -= 1;
      this.plans = this.plans.filter((p) => p.left > 0);
    }
    return plan;
  }

  clear(): void {
    this.plans = [];
  }
}
