import { Suspense } from 'react';
import { formatDay, formatNumber } from '../format';
import { LazyTimeSeriesChart } from './lazy-charts';
import type { Series } from './TimeSeriesChart';

/** What a history chart draws; also listed as text beside it (the canvas is decoration). */
export interface HistorySeries extends Series {
  /** For test ids and the legend: `stars`, `followers`. */
  key: string;
  /**
   * What the legend says beside the latest value: the `change` from the first value (a count such
   * as stars), or the `total` over the period (a count per day such as stars gained).
   */
  summary?: 'change' | 'total';
}

/** With one recorded day there is no trend to draw: say so instead of drawing a dot. */
export function RecordingStarted({ day }: { day: string }) {
  return (
    <p className="empty" data-testid="recording-started">
      Recording started on <time dateTime={day}>{formatDay(day)}</time>: come back tomorrow for a
      trend.
    </p>
  );
}

/**
 * Lines over the days, a legend with each series' latest value and change over the period, and
 * the whole series as a table for screen readers.
 */
export function HistoryChart({
  dates,
  series,
  caption,
  testId,
}: {
  dates: string[];
  series: HistorySeries[];
  caption: string;
  testId: string;
}) {
  const first = dates[0];
  const last = dates[dates.length - 1];
  // The legend's change runs from each series' first recorded value to its last.
  return (
    <>
      <Suspense fallback={<div className="chart-canvas skeleton" style={{ height: 220 }} />}>
        <LazyTimeSeriesChart dates={dates} series={series} />
      </Suspense>
      <ul className="legend legend--inline" data-testid={`${testId}-legend`}>
        {series.map((s) => {
          const recorded = s.values.flatMap((value, i) =>
            value === null ? [] : [{ value, day: dates[i] }],
          );
          const start = recorded[0];
          const end = recorded[recorded.length - 1];
          const change = end && start ? end.value - start.value : 0;
          const total = recorded.reduce((sum, { value }) => sum + value, 0);
          return (
            <li key={s.key} className="legend__item" data-testid={`${testId}-${s.key}`}>
              <span className="legend__swatch" style={{ background: s.color }} aria-hidden="true" />
              <span className="legend__label">{s.label}</span>
              <span className="legend__share">{end ? formatNumber(end.value) : '—'}</span>
              <span className="legend__count">
                {start &&
                  (s.summary === 'total' ? (
                    <>
                      {formatNumber(total)} since {formatDay(start.day)}
                    </>
                  ) : (
                    <>
                      {change >= 0 ? '+' : '−'}
                      {formatNumber(Math.abs(change))} since {formatDay(start.day)}
                    </>
                  ))}
              </span>
            </li>
          );
        })}
      </ul>
      <table className="visually-hidden" data-testid={`${testId}-table`}>
        <caption>
          {caption}, {formatDay(first)} to {formatDay(last)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {dates.map((day, i) => (
            <tr key={day}>
              <th scope="row">{day}</th>
              {series.map((s) => (
                <td key={s.key}>{s.values[i] ?? '—'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
