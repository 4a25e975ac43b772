/** One caller's primary budget, as the `x-ratelimit-*` headers report it. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the budget refills, in UTC epoch seconds. */
  resetEpochSeconds: number;
}

export interface RateLimitSetting {
  limit: number;
  /** Defaults to `limit`. */
  remaining?: number;
  /** Defaults to an hour from now. */
  resetEpochSeconds?: number;
  /**
   * Whose budget: the exact `Authorization` header value (`'Bearer ghp_x'`), `null` for
   * unauthenticated callers, or omitted for everyone (existing and future callers).
   */
  authorization?: string | null;
}

/** GitHub's primary limits: 60 an hour without a token, 5,000 with one. */
export const UNAUTHENTICATED_LIMIT = 60;
export const AUTHENTICATED_LIMIT = 5000;
const WINDOW_SECONDS = 3600;
const ANONYMOUS = '';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * Primary rate-limit budgets, one per `Authorization` header (GitHub counts per token, and per IP
 * without one; every caller of the fake shares one IP). A budget refills when its reset passes.
 */
export class RateLimitBudgets {
  private readonly budgets = new Map<string, RateLimitState>();
  private override: Omit<RateLimitSetting, 'authorization'> | undefined;

  constructor(initial?: Omit<RateLimitSetting, 'authorization'>) {
    this.override = initial;
  }

  set(setting: RateLimitSetting): void {
    const { authorization, ...budget } = setting;
    if (authorization === undefined) {
      this.override = budget;
      this.budgets.clear();
      return;
    }
    this.budgets.set(authorization ?? ANONYMOUS, toState(budget));
  }

  /** The caller's budget now (refilled if its window has passed). */
  peek(authorization: string | undefined): RateLimitState {
    const key = authorization ?? ANONYMOUS;
    let state = this.budgets.get(key);
    if (!state || state.resetEpochSeconds <= nowSeconds()) {
      const limit =
        this.override?.limit ?? (key === ANONYMOUS ? UNAUTHENTICATED_LIMIT : AUTHENTICATED_LIMIT);
      // A refill after the window keeps the limit but not a configured `remaining` or reset.
      state = state ? toState({ limit: state.limit }) : toState({ ...this.override, limit });
      this.budgets.set(key, state);
    }
    return state;
  }

  /** Spends one request; false (and nothing spent) when the budget is already empty. */
  spend(authorization: string | undefined): boolean {
    const state = this.peek(authorization);
    if (state.remaining <= 0) {
      return false;
    }
    state.remaining -= 1;
    return true;
  }

  /** The headers GitHub puts on every response. */
  headers(authorization: string | undefined): Record<string, string> {
    const state = this.peek(authorization);
    return {
      'x-ratelimit-limit': String(state.limit),
      'x-ratelimit-remaining': String(state.remaining),
      'x-ratelimit-used': String(state.limit - state.remaining),
      'x-ratelimit-reset': String(state.resetEpochSeconds),
      'x-ratelimit-resource': 'core',
    };
  }
}

function toState(budget: Omit<RateLimitSetting, 'authorization'>): RateLimitState {
  return {
    limit: budget.limit,
    remaining: budget.remaining ?? budget.limit,
    resetEpochSeconds: budget.resetEpochSeconds ?? nowSeconds() + WINDOW_SECONDS,
  };
}
