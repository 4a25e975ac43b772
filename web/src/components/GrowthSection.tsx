import { useMemo } from 'react';
import type { AccountHistory } from '../api/types';
import type { FetchState } from '../hooks/use-fetch';
import { SERIES_COLORS } from './chart-colors';
import { HistoryChart, type HistorySeries, RecordingStarted } from './history-parts';

interface Props {
  history: FetchState<AccountHistory>;
  /** Followers are a user's; an organisation's growth is its stars. */
  showFollowers: boolean;
}

export const STARS_COLOR = SERIES_COLORS[0];
const FOLLOWERS_COLOR = SERIES_COLORS[5];

/**
 * Stars and followers day by day, as this service recorded them (GitHub keeps no such history).
 * Its own request: when the history store is down, only this panel says so.
 */
export function GrowthSection({ history, showFollowers }: Props) {
  const data = history.status === 'success' ? history.value : undefined;
  const series = useMemo<HistorySeries[]>(() => {
    if (!data) {
      return [];
    }
    const stars: HistorySeries = {
      key: 'stars',
      label: 'Stars',
      values: data.points.map((p) => p.stars),
      color: STARS_COLOR,
      axis: 'left',
    };
    const followers: HistorySeries = {
      key: 'followers',
      label: 'Followers',
      values: data.points.map((p) => p.followers),
      color: FOLLOWERS_COLOR,
      axis: 'right',
    };
    return showFollowers ? [stars, followers] : [stars];
  }, [data, showFollowers]);
  const dates = useMemo(() => data?.points.map((p) => p.date) ?? [], [data]);

  return (
    <section
      className="panel chart growth"
      aria-labelledby="growth-title"
      aria-busy={history.status === 'loading' || history.status === 'idle'}
      data-testid="growth"
    >
      <h2 id="growth-title">Growth</h2>
      <p className="chart__subtitle">
        {showFollowers ? 'Stars and followers' : 'Stars'} by day, as recorded by this service
      </p>
      {history.status === 'error' ? (
        <p className="empty" data-testid="growth-unavailable">
          History is unavailable right now; the rest of the dashboard is up to date.
        </p>
      ) : !data ? (
        <p className="empty">Loading history…</p>
      ) : data.points.length === 0 ? (
        <p className="empty">Nothing recorded yet: recording starts with this visit.</p>
      ) : data.points.length === 1 ? (
        <RecordingStarted day={data.points[0].date} />
      ) : (
        <HistoryChart dates={dates} series={series} caption="Growth by day" testId="growth" />
      )}
    </section>
  );
}
