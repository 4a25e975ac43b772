import { addDays } from '../../common/clock';
import { StarPoint } from './star-points';

/** Exact star events of a day (the `star` webhook, a later issue): what they will fill in. */
export interface StarEventDay {
  date: string;
  starred: number;
  unstarred: number;
}

/** How a day's `lost` was found: counted from star events, or derived from recorded totals. */
export type LostKind = 'exact' | 'lower-bound';

export interface DayLoss {
  lost: number;
  kind: LostKind;
}

/**
 * Stars lost per day, where this service knows something. With T(d) the total recorded on day d
 * and g(d) the stars given on d that are still held (GitHub's count), on every day d with a total
 * recorded on d and on d − 1: T(d) − T(d−1) = given(d) − lost(d), and given(d) ≥ g(d), so
 * lost(d) ≥ max(0, g(d) − (T(d) − T(d−1))): a lower bound. A day with star events has the exact
 * count instead.
 */
export function lossesByDay(
  recorded: readonly StarPoint[],
  givenByDay: ReadonlyMap<string, number>,
  events: readonly StarEventDay[] = [],
): Map<string, DayLoss> {
  const losses = new Map<string, DayLoss>();
  const totals = new Map(recorded.map((point) => [point.date, point.stars]));
  for (const { date, stars } of recorded) {
    const before = totals.get(addDays(date, -1));
    if (before !== undefined) {
      const lost = Math.max(0, (givenByDay.get(date) ?? 0) - (stars - before));
      losses.set(date, { lost, kind: 'lower-bound' });
    }
  }
  for (const { date, unstarred } of events) {
    losses.set(date, { lost: unstarred, kind: 'exact' });
  }
  return losses;
}
