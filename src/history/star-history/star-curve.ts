import { addDays } from '../../common/clock';
import { DayLoss } from './star-losses';
import { StarHistoryInterval, StarHistoryPoint } from './star-history.model';
import { StarPoint } from './star-points';

/**
 * The curve from stars given per day (GitHub's history, or an exact stargazer list): one point
 * per day with a star given or lost, the cumulative count at its end, ending today at `current`
 * (GitHub's counts are stars still held, so they add up to it when complete).
 */
export function curveFromDays(
  givenByDay: ReadonlyMap<string, number>,
  losses: ReadonlyMap<string, DayLoss>,
  today: string,
  current: number,
): StarHistoryPoint[] {
  const dates = new Set([today]);
  for (const [date] of givenByDay) {
    dates.add(date);
  }
  for (const [date, loss] of losses) {
    if (loss.lost > 0) {
      dates.add(date);
    }
  }
  let stars = 0;
  return [...dates]
    .filter((date) => date <= today)
    .sort()
    .map((date) => {
      const gained = givenByDay.get(date) ?? 0;
      stars += gained;
      return {
        date,
        stars: date === today ? current : stars,
        gained,
        ...lossOf(losses.get(date)),
      };
    });
}

/** Points of another source with the losses known on their days. */
export function withLosses(
  points: readonly StarPoint[],
  losses: ReadonlyMap<string, DayLoss>,
): StarHistoryPoint[] {
  return points.map((point) => ({ ...point, ...lossOf(losses.get(point.date)) }));
}

function lossOf(loss: DayLoss | undefined): Pick<StarHistoryPoint, 'lost' | 'lostKind'> {
  return loss ? { lost: loss.lost, lostKind: loss.kind } : {};
}

/**
 * One point per week (Sunday to Saturday, as GitHub's weeks) or month with a change: the count at
 * the end of its last day (today for the current period), dated by that day; gains and losses
 * summed over the period (a period's `lost` is a lower bound if any of its days' is).
 */
export function coarsen(
  points: readonly StarHistoryPoint[],
  interval: StarHistoryInterval,
  today: string,
): StarHistoryPoint[] {
  if (interval === 'day') {
    return [...points];
  }
  const periods = new Map<string, StarHistoryPoint>();
  for (const point of points) {
    const end = periodEnd(point.date, interval);
    const date = end < today ? end : today;
    const period = periods.get(date);
    if (!period) {
      periods.set(date, { ...point, date });
      continue;
    }
    period.stars = point.stars;
    if (point.gained !== undefined) {
      period.gained = (period.gained ?? 0) + point.gained;
    }
    if (point.lost !== undefined) {
      period.lost = (period.lost ?? 0) + point.lost;
      period.lostKind =
        period.lostKind === 'lower-bound' || point.lostKind === 'lower-bound'
          ? 'lower-bound'
          : 'exact';
    }
  }
  return [...periods.values()];
}

/** The last day of the week (a Saturday) or month holding `date`. */
function periodEnd(date: string, interval: 'week' | 'month'): string {
  const at = new Date(`${date}T00:00:00Z`);
  if (interval === 'week') {
    return addDays(date, 6 - at.getUTCDay());
  }
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0))
    .toISOString()
    .slice(0, 10);
}
