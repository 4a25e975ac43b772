import { GithubBadGatewayError } from '../../github/api/github-errors';
import { addDays, utcDay } from '../../common/clock';

/** GitHub's `per_page` maximum for the weekly history, and its last page (422 past it). */
export const HISTORY_WEEKS_PER_PAGE = 30;
export const MAX_HISTORY_PAGES = 100;

const DAY_SECONDS = 86_400;

/** One week of GitHub's star history, in our terms. */
export interface HistoryWeek {
  /** The week's first day (a Sunday), `YYYY-MM-DD`. */
  start: string;
  /** Stars given on each day of the week and still held today, Sunday first. */
  days: number[];
}

/**
 * A page of `GET /repos/{owner}/{repo}/stargazers/history`: `[{ week, total, days }]`, newest
 * first. `week` is the Unix time of the week's start; GitHub does not promise UTC days (one
 * integrator saw US-Pacific ones), so it is dated by the nearest UTC midnight.
 */
export function toHistoryWeeks(body: unknown): HistoryWeek[] {
  if (!Array.isArray(body)) {
    throw new GithubBadGatewayError('GitHub answered with a star history page that is not a list');
  }
  return body.map((item: unknown) => {
    const { week, days } = (item ?? {}) as { week?: unknown; days?: unknown };
    if (
      typeof week !== 'number' ||
      !Number.isFinite(week) ||
      !Array.isArray(days) ||
      days.length !== 7 ||
      !days.every((count) => Number.isInteger(count) && (count as number) >= 0)
    ) {
      throw new GithubBadGatewayError('GitHub answered with a malformed star history week');
    }
    const start = utcDay(new Date(Math.round(week / DAY_SECONDS) * DAY_SECONDS * 1000));
    return { start, days: days as number[] };
  });
}

/**
 * Stars given on each day up to `today` (days not yet come dropped), from weeks in any order; a
 * week seen twice (pages shift when a new week starts while paging) counts once: its days are set,
 * never added.
 */
export function starsGivenByDay(weeks: readonly HistoryWeek[], today: string): Map<string, number> {
  const byDay = new Map<string, number>();
  for (const { start, days } of weeks) {
    days.forEach((count, i) => {
      const date = addDays(start, i);
      if (count > 0 && date <= today) {
        byDay.set(date, count);
      }
    });
  }
  return byDay;
}
