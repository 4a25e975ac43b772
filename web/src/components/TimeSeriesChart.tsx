import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { formatDay, formatNumber, formatShortDay } from '../format';
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
 * Counts over days as lines. Days are categories (no date adapter in the bundle); the API sends
 * one point per recorded day, so a gap in the recording is a straight segment, not a fall to 0.
 */
export function TimeSeriesChart({ dates, series, height = 220 }: Props) {
  const config = useMemo(() => lines(dates, series), [dates, series]);
  return <ChartCanvas config={config} height={height} />;
}

function lines(dates: string[], series: Series[]): ChartConfiguration<'line'> {
  const theme = themeOf();
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
      labels: dates,
      datasets: series.map((s) => ({
        label: s.label,
        data: s.values,
        borderColor: s.color,
        backgroundColor: s.color,
        borderWidth: 2,
        // Points only where few days are drawn; a long series reads better as a line.
        pointRadius: dates.length > 31 ? 0 : 3,
        pointHoverRadius: 4,
        tension: 0,
        // A day without a value is a day not recorded, not a fall to zero.
        spanGaps: true,
        yAxisID: s.axis === 'right' ? 'y1' : 'y',
      })),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      font: { family: theme.font },
      scales: {
        x: {
          grid: { display: false },
          border: { display: false },
          ticks: {
            color: theme.muted,
            maxRotation: 0,
            autoSkip: true,
            maxTicksLimit: 6,
            font: { family: theme.font },
            callback: (_value, index) => formatShortDay(dates[index]),
          },
        },
        y: scale('left', twoScales ? series.find((s) => s.axis === 'left')!.color : theme.muted),
        ...(twoScales ? { y1: scale('right', series.find((s) => s.axis === 'right')!.color) } : {}),
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items) => formatDay(dates[items[0].dataIndex]),
            label: (item) => ` ${item.dataset.label}: ${formatNumber(Number(item.raw))}`,
          },
        },
      },
    },
  };
}
