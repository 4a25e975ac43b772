import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { formatDay, formatMonth, formatNumber, formatShortDay } from '../format';
import { ChartCanvas, themeOf } from './ChartCanvas';

export interface Series {
  label: string;
  /** One value per date; null where that day has no value (the line bridges it). */
  values: (number | null)[];
  color: string;
  /** Counts of different sizes (stars and followers) each get their own scale. */
  axis: 'left' | 'right';
}

interface Props {
  /** UTC days, YYYY-MM-DD, ascending. */
  dates: string[];
  series: Series[];
  height?: number;
}

/**
 * Counts over days as lines, on a linear axis of days (no date adapter in the bundle): the days
 * with a point are irregular (a star history has one per day with a star, then today), so the
 * distance between two points must be the time between them. A day without a value is left out
 * and the line bridges it: a day not recorded is not a fall to zero.
 */
export function TimeSeriesChart({ dates, series, height = 220 }: Props) {
  const config = useMemo(() => lines(dates, series), [dates, series]);
  return <ChartCanvas config={config} height={height} />;
}

const DAY_MS = 86_400_000;
const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number): string => new Date(Math.round(n) * DAY_MS).toISOString().slice(0, 10);

function lines(dates: string[], series: Series[]): ChartConfiguration<'line'> {
  const theme = themeOf();
  const first = dayNumber(dates[0]);
  const last = dayNumber(dates[dates.length - 1]);
  // Over most of a year, ticks name months ("Mar 2025"); within one, days ("Mar 5").
  const tickLabel = last - first > 300 ? formatMonth : formatShortDay;
  const twoScales = series.some((s) => s.axis === 'right');
  const scale = (position: 'left' | 'right', color: string) => ({
    position,
    grace: '5%',
    border: { display: false },
    grid: { display: position === 'left', color: 'rgba(127, 127, 127, 0.15)' },
    ticks: {
      color,
      precision: 0,
      maxTicksLimit: 5,
      font: { family: theme.font },
      callback: (value: string | number) => formatNumber(Number(value)),
    },
  });
  return {
    type: 'line',
    data: {
      datasets: series.map((s) => ({
        label: s.label,
        data: s.values.flatMap((value, i) =>
          value === null ? [] : [{ x: dayNumber(dates[i]), y: value }],
        ),
        borderColor: s.color,
        backgroundColor: s.color,
        borderWidth: 2,
        // Points only where few days are drawn; a long series reads better as a line.
        pointRadius: dates.length > 31 ? 0 : 3,
        pointHoverRadius: 4,
        tension: 0,
        yAxisID: s.axis === 'right' ? 'y1' : 'y',
      })),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      font: { family: theme.font },
      scales: {
        x: {
          type: 'linear',
          min: first,
          max: last,
          grid: { display: false },
          border: { display: false },
          ticks: {
            color: theme.muted,
            maxRotation: 0,
            autoSkip: true,
            maxTicksLimit: 6,
            // Whole days only, so two ticks never name one day.
            precision: 0,
            font: { family: theme.font },
            callback: (value) => tickLabel(dayOf(Number(value))),
          },
        },
        y: scale('left', twoScales ? series.find((s) => s.axis === 'left')!.color : theme.muted),
        ...(twoScales ? { y1: scale('right', series.find((s) => s.axis === 'right')!.color) } : {}),
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items) => formatDay(dayOf(items[0].parsed.x ?? first)),
            label: (item) => ` ${item.dataset.label}: ${formatNumber(Number(item.raw))}`,
          },
        },
      },
    },
  };
}
