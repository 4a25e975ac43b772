import type { components } from './schema';

/** Why a request to our API failed, in the terms the page explains to its reader. */
export type ApiFailure =
  | { kind: 'not-found'; detail: string }
  | { kind: 'rate-limited'; retryAt: Date; detail: string }
  | { kind: 'unavailable'; status: number | null; detail: string }
  | { kind: 'invalid'; detail: string };

export class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.detail);
    this.name = 'ApiError';
  }
}

/** What the page reads of our problem+json; all optional, as a proxy's error page has none of it. */
type ProblemBody = Partial<
  Pick<components['schemas']['Problem'], 'title' | 'detail' | 'retryAfter'>
>;

/**
 * Turns an error answer (application/problem+json, or anything a proxy put in front of us) into
 * an ApiFailure. `now` is passed in so that tests can pin the clock.
 */
export async function failureOf(response: Response, now: Date): Promise<ApiFailure> {
  const problem = await problemOf(response);
  const detail = problem.detail ?? problem.title ?? `HTTP ${response.status}`;
  if (response.status === 404) {
    return { kind: 'not-found', detail };
  }
  if (response.status === 503 || response.status === 429) {
    const seconds = retryAfterSeconds(response.headers.get('retry-after'), problem, now);
    if (seconds !== null) {
      return { kind: 'rate-limited', retryAt: new Date(now.getTime() + seconds * 1000), detail };
    }
  }
  if (response.status === 400) {
    return { kind: 'invalid', detail };
  }
  return { kind: 'unavailable', status: response.status, detail };
}

async function problemOf(response: Response): Promise<ProblemBody> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? (body as ProblemBody) : {};
  } catch {
    return {};
  }
}

/** `Retry-After` in seconds or as an HTTP date; the body's `retryAfter` when the header is gone. */
function retryAfterSeconds(header: string | null, problem: ProblemBody, now: Date): number | null {
  if (header !== null && /^\d+$/.test(header.trim())) {
    return Number(header.trim());
  }
  if (header !== null && !Number.isNaN(Date.parse(header))) {
    return Math.max(0, Math.ceil((Date.parse(header) - now.getTime()) / 1000));
  }
  return typeof problem.retryAfter === 'number' ? problem.retryAfter : null;
}
