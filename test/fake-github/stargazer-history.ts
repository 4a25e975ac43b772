import { GithubRepoJson } from './github-json';
import { pageOf, paginate } from './pagination';
import type { Answer, RouteContext } from './routes';
import { PAGINATION_LIMITED } from './stargazers';

/** `GET /repos/{owner}/{repo}/stargazers/history`: at most 30 weeks a page and 100 pages. */
export const MAX_HISTORY_PER_PAGE = 30;
export const MAX_HISTORY_PAGES = 100;

const DAY_MS = 86_400_000;

/** One week of the history as GitHub sends it (GitHub changelog 2026-09-04). */
export interface StargazerHistoryWeek {
  /** Unix seconds of the week's first day (a Sunday), 00:00 UTC in the fake. */
  week: number;
  /** The sum of `days`. */
  total: number;
  /** Stars given on each day of the week and still held, Sunday first; days after today are 0. */
  days: number[];
}

/** The UTC midnight, in epoch milliseconds, of the Sunday that starts the week holding `ms`. */
export function weekStartMs(ms: number): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  return day - new Date(day).getUTCDay() * DAY_MS;
}

/**
 * A repository's whole history, newest week first, derived from its stargazer list so both
 * always agree: every star counted on its UTC day, from the current week back to the week the
 * repository was created (or its first star, should a list say earlier), days after today 0.
 */
export function stargazerHistoryWeeks(
  repo: GithubRepoJson,
  starredAt: readonly string[],
  nowMs: number,
): StargazerHistoryWeek[] {
  const today = Math.floor(nowMs / DAY_MS);
  const perDay = new Map<number, number>();
  for (const at of starredAt) {
    const day = Math.floor(Date.parse(at) / DAY_MS);
    if (day <= today) {
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
  }
  const firstStar = starredAt.length > 0 ? Date.parse(starredAt[0]) : Infinity;
  const oldest = weekStartMs(Math.min(Date.parse(repo.created_at), firstStar, nowMs));
  const weeks: StargazerHistoryWeek[] = [];
  for (let start = weekStartMs(nowMs); start >= oldest; start -= 7 * DAY_MS) {
    const first = start / DAY_MS;
    const days = Array.from({ length: 7 }, (_, i) => perDay.get(first + i) ?? 0);
    weeks.push({ week: start / 1000, total: days.reduce((a, b) => a + b, 0), days });
  }
  return weeks;
}

/**
 * `GET /repos/:owner/:repo/stargazers/history` (and `/repositories/:id/stargazers/history`, where
 * its `Link` headers point): for any public repository, with any token or none; 30 weeks a page at
 * most, 422 past page 100, an empty page after the last.
 */
export function stargazerHistoryPage(
  repo: GithubRepoJson | undefined,
  query: URLSearchParams,
  context: RouteContext,
): Answer {
  if (!repo) {
    return { status: 404, body: undefined };
  }
  if (pageOf(query) > MAX_HISTORY_PAGES) {
    return { status: 422, body: PAGINATION_LIMITED };
  }
  const weeks = stargazerHistoryWeeks(repo, context.stargazers.of(repo).starredAt, Date.now());
  const clamped = new URLSearchParams(query);
  const asked = Number(query.get('per_page'));
  clamped.set(
    'per_page',
    String(
      Number.isInteger(asked) && asked >= 1
        ? Math.min(asked, MAX_HISTORY_PER_PAGE)
        : MAX_HISTORY_PER_PAGE,
    ),
  );
  const page = paginate(
    weeks,
    clamped,
    `${context.origin}/repositories/${repo.id}/stargazers/history`,
    MAX_HISTORY_PAGES,
  );
  return { status: 200, body: page.items, link: page.link };
}
