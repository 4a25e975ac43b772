import { useMemo } from 'react';
import type { StarHistory, StarHistoryInterval } from '../api/types';
import { formatDay, formatNumber } from '../format';
import type { FetchState } from '../hooks/use-fetch';
import { SERIES_COLORS } from './chart-colors';
import { STARS_COLOR } from './GrowthSection';
import { HistoryChart, type HistorySeries, RecordingStarted } from './history-parts';

const GAINED_COLOR = SERIES_COLORS[2];
const LOST_COLOR = SERIES_COLORS[3];
const INTERVALS: { value: StarHistoryInterval; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];

interface Props {
  history: FetchState<StarHistory>;
  interval: StarHistoryInterval;
  onInterval: (interval: StarHistoryInterval) => void;
}

/**
 * A repository's stars since its first one, by day, week or month, saying where they come from
 * (GitHub's star history, its stargazer list, or what the service recorded) and whether the curve
 * is exact; gains and losses beside the stars where they are known.
 */
export function StarHistorySection({ history, interval, onInterval }: Props) {
  const data = history.status === 'success' ? history.value : undefined;
  const dates = useMemo(() => data?.points.map((p) => p.date) ?? [], [data]);
  const series = useMemo<HistorySeries[]>(() => seriesOf(data), [data]);
  const losses = data ? lossesOf(data) : undefined;

  return (
    <section
      className="panel chart"
      aria-labelledby="star-history-title"
      aria-busy={history.status === 'loading' || history.status === 'idle'}
      data-testid="star-history"
    >
      <div className="chart__header">
        <h2 id="star-history-title">Star history</h2>
        <div
          className="segmented"
          role="group"
          aria-label="One point per"
          data-testid="star-history-interval"
        >
          {INTERVALS.map(({ value, label }) => (
            <button
              key={value}
              type="button"
              className="button button--small"
              aria-pressed={interval === value}
              onClick={() => onInterval(value)}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      {data && (
        <p className="chart__subtitle">
          <span data-testid="star-history-source">{sourceOf(data)}</span>{' '}
          <span className="badge" data-testid="star-history-exact">
            {exactnessOf(data)}
          </span>
        </p>
      )}
      {history.status === 'error' ? (
        <p className="empty" data-testid="star-history-unavailable">
          Star history is unavailable right now.
        </p>
      ) : !data ? (
        <p className="empty">Loading star history…</p>
      ) : data.points.length >= 2 ? (
        <>
          <HistoryChart
            dates={dates}
            series={series}
            caption={`Stars by ${data.interval}`}
            testId="star-history"
          />
          {losses && (
            <p className="chart__note" data-testid="star-history-losses">
              {losses}
            </p>
          )}
        </>
      ) : data.points.length === 0 ? (
        <p className="empty">Nothing recorded yet.</p>
      ) : data.source === 'snapshots' ? (
        <RecordingStarted day={data.points[0].date} />
      ) : (
        <p className="empty" data-testid="star-history-single">
          {data.stars === 0
            ? 'No stars yet.'
            : `${formatNumber(data.stars)} ${data.stars === 1 ? 'star' : 'stars'}, all given on ${formatDay(data.points[0].date)}.`}
        </p>
      )}
    </section>
  );
}

/** Stars on the left axis; gains and losses, where any point has them, on the right. */
function seriesOf(data: StarHistory | undefined): HistorySeries[] {
  const points = data?.points ?? [];
  const series: HistorySeries[] = [
    {
      key: 'stars',
      label: 'Stars',
      values: points.map((p) => p.stars),
      color: STARS_COLOR,
      axis: 'left',
    },
  ];
  if (points.some((p) => p.gained !== undefined)) {
    series.push({
      key: 'gained',
      label: 'Gained',
      values: points.map((p) => p.gained ?? null),
      color: GAINED_COLOR,
      axis: 'right',
      summary: 'total',
    });
  }
  if (points.some((p) => p.lost !== undefined)) {
    series.push({
      key: 'lost',
      label: 'Lost',
      values: points.map((p) => p.lost ?? null),
      color: LOST_COLOR,
      axis: 'right',
      summary: 'total',
    });
  }
  return series;
}

function sourceOf(history: StarHistory): string {
  if (history.source === 'history') {
    return `From GitHub’s star history since ${formatDay(history.since)}`;
  }
  if (history.source === 'stargazers') {
    return history.exact
      ? 'From GitHub’s stargazer list'
      : 'From GitHub’s stargazer list, sampled (the list is too long to read whole)';
  }
  return history.since
    ? `Recorded by this service since ${formatDay(history.since)}`
    : 'Recorded by this service';
}

function exactnessOf(history: StarHistory): string {
  if (history.exact) {
    return 'Exact';
  }
  return history.source === 'history'
    ? `Approximate: GitHub’s days do not add up to today’s ${formatNumber(history.stars)}`
    : 'Approximate';
}

/**
 * GitHub counts only the stars still held, so losses come from the totals this service recorded
 * on consecutive days: a lower bound unless counted from star events.
 */
function lossesOf(history: StarHistory): string | undefined {
  const known = history.points.filter((p) => p.lost !== undefined);
  if (known.length === 0) {
    return undefined;
  }
  const lost = known.reduce((sum, p) => sum + (p.lost ?? 0), 0);
  const bound = known.some((p) => p.lostKind === 'lower-bound');
  const stars = `${formatNumber(lost)} ${lost === 1 ? 'star' : 'stars'}`;
  return bound
    ? `Lost at least ${stars} on the days recorded back to back (${formatNumber(known.length)}); GitHub counts only the stars still held.`
    : `Lost ${stars} on the days with star events (${formatNumber(known.length)}).`;
}
