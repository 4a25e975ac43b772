import { useMemo } from 'react';
import type { StarHistory } from '../api/types';
import { formatDay, formatNumber } from '../format';
import type { FetchState } from '../hooks/use-fetch';
import { STARS_COLOR } from './GrowthSection';
import { HistoryChart, type HistorySeries, RecordingStarted } from './history-parts';

interface Props {
  history: FetchState<StarHistory>;
}

/**
 * A repository's stars by day, saying where they come from: GitHub's stargazer list (read whole,
 * or sampled) where the service may read it, otherwise what the service recorded.
 */
export function StarHistorySection({ history }: Props) {
  const data = history.status === 'success' ? history.value : undefined;
  const dates = useMemo(() => data?.points.map((p) => p.date) ?? [], [data]);
  const series = useMemo<HistorySeries[]>(
    () => [
      {
        key: 'stars',
        label: 'Stars',
        values: data?.points.map((p) => p.stars) ?? [],
        color: STARS_COLOR,
        axis: 'left',
      },
    ],
    [data],
  );

  return (
    <section
      className="panel chart"
      aria-labelledby="star-history-title"
      aria-busy={history.status === 'loading' || history.status === 'idle'}
      data-testid="star-history"
    >
      <h2 id="star-history-title">Star history</h2>
      {data && (
        <p className="chart__subtitle" data-testid="star-history-source">
          {sourceOf(data)}
        </p>
      )}
      {history.status === 'error' ? (
        <p className="empty" data-testid="star-history-unavailable">
          Star history is unavailable right now.
        </p>
      ) : !data ? (
        <p className="empty">Loading star history…</p>
      ) : data.points.length >= 2 ? (
        <HistoryChart dates={dates} series={series} caption="Stars by day" testId="star-history" />
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

function sourceOf(history: StarHistory): string {
  if (history.source === 'stargazers') {
    return history.exact
      ? 'From GitHub’s stargazer list'
      : 'From GitHub’s stargazer list, sampled (the list is too long to read whole)';
  }
  return history.since
    ? `Recorded by this service since ${formatDay(history.since)}`
    : 'Recorded by this service';
}
