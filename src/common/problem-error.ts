/**
 * An error that knows the problem it stands for. Features extend it (GitHub's failures do), and the
 * problem-details filter turns any of them into a status and a problem+json body without knowing
 * the feature: shared code depends on this shape, never on a feature's classes.
 */
export abstract class ProblemError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** A stable slug for the problem `type`. */
  abstract readonly slug: string;
  /** Seconds until a retry may succeed: sent as `Retry-After` and `retryAfter`. */
  readonly retryAfterSeconds?: number;
}
