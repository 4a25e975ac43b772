import { STARGAZERS_PER_PAGE } from './stargazer-plan';

export interface StarPoint {
  /** A UTC day, `YYYY-MM-DD`. */
  date: string;
  /** Stars at the end of that day. */
  stars: number;
}

/**
 * Exact history from the whole list (oldest first): one point per day on which someone starred,
 * the cumulative count at the end of that day.
 */
export function accumulateByDay(starredAt: readonly string[]): StarPoint[] {
  const points: StarPoint[] = [];
  starredAt.forEach((at, index) => {
    const date = at.slice(0, 10);
    const last = points.at(-1);
    if (last?.date === date) {
      last.stars = index + 1;
    } else {
      points.push({ date, stars: index + 1 });
    }
  });
  return points;
}

/** One sampled page: its number and the `starred_at` of its stargazers, oldest first. */
export interface SampledPage {
  page: number;
  starredAt: readonly string[];
}

/**
 * Sampled history: each page's first stargazer is star number (page - 1) × 100 + 1 on the day
 * they starred; the last page read also gives its last stargazer. A day sampled twice keeps the
 * higher count (the end of the day).
 */
export function samplePoints(pages: readonly SampledPage[]): StarPoint[] {
  const byDay = new Map<string, number>();
  const add = (at: string, stars: number) => {
    const date = at.slice(0, 10);
    byDay.set(date, Math.max(byDay.get(date) ?? 0, stars));
  };
  const sorted = [...pages].filter((p) => p.starredAt.length > 0).sort((a, b) => a.page - b.page);
  for (const { page, starredAt } of sorted) {
    add(starredAt[0], (page - 1) * STARGAZERS_PER_PAGE + 1);
  }
  const last = sorted.at(-1);
  if (last) {
    add(
      last.starredAt[last.starredAt.length - 1],
      (last.page - 1) * STARGAZERS_PER_PAGE + last.starredAt.length,
    );
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, stars]) => ({ date, stars }));
}

/**
 * Merges retroactive points with recorded ones (one per day: `preferRecorded` decides which wins
 * a day both have), drops days after today, and ends with today at the current count.
 */
export function mergeStarPoints(
  retroactive: readonly StarPoint[],
  recorded: readonly StarPoint[],
  today: string,
  currentStars: number,
  preferRecorded: boolean,
): StarPoint[] {
  const byDay = new Map<string, number>();
  const [first, second] = preferRecorded ? [retroactive, recorded] : [recorded, retroactive];
  for (const point of [...first, ...second]) {
    if (point.date < today) {
      byDay.set(point.date, point.stars);
    }
  }
  byDay.set(today, currentStars);
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, stars]) => ({ date, stars }));
}
