import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import type { LanguageStat } from '../api/types';
import { formatNumber, formatShare } from '../format';
import { OTHER_COLOR, SERIES_COLORS } from './chart-colors';
import { ChartCanvas, themeOf } from './ChartCanvas';

interface Props {
  languages: LanguageStat[];
}

interface Slice {
  label: string;
  repos: number;
  share: number;
  color: string;
}

/** The languages of the account's own repositories (forks left out), by share of repositories. */
export function LanguageChart({ languages }: Props) {
  const slices = useMemo(() => toSlices(languages), [languages]);
  const config = useMemo(() => doughnut(slices), [slices]);
  return (
    <section className="panel chart" aria-labelledby="languages-title">
      <h2 id="languages-title">Languages</h2>
      <p className="chart__subtitle">Share of their own repositories (forks left out)</p>
      {slices.length === 0 ? (
        <p className="empty">No repositories of their own yet.</p>
      ) : (
        <div className="languages">
          <ChartCanvas config={config} height={190} />
          <ol className="legend" data-testid="language-legend">
            {slices.map((slice) => (
              <li key={slice.label} className="legend__item">
                <span
                  className="legend__swatch"
                  style={{ background: slice.color }}
                  aria-hidden="true"
                />
                <span className="legend__label">{slice.label}</span>
                <span className="legend__share">{formatShare(slice.share)}</span>
                <span className="legend__count">
                  {formatNumber(slice.repos)} {slice.repos === 1 ? 'repo' : 'repos'}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}

function doughnut(slices: Slice[]): ChartConfiguration<'doughnut'> {
  const theme = themeOf();
  return {
    type: 'doughnut',
    data: {
      labels: slices.map((slice) => slice.label),
      datasets: [
        {
          data: slices.map((slice) => slice.repos),
          backgroundColor: slices.map((slice) => slice.color),
          borderColor: theme.surface,
          borderWidth: 2,
        },
      ],
    },
    options: {
      cutout: '58%',
      maintainAspectRatio: false,
      animation: false,
      font: { family: theme.font },
      plugins: {
        tooltip: {
          callbacks: {
            label: (item) =>
              ` ${formatShare(slices[item.dataIndex].share)} · ${formatNumber(Number(item.raw))} repos`,
          },
        },
      },
    },
  };
}

/** Six named languages at most; the rest together as "Other languages". */
const NAMED = 6;

export function toSlices(languages: LanguageStat[]): Slice[] {
  const named = languages.length > NAMED + 1 ? languages.slice(0, NAMED) : languages;
  const rest = languages.slice(named.length);
  const slices = named.map((stat, i) => ({
    label: stat.language ?? 'No language',
    repos: stat.repos,
    share: stat.share,
    color: SERIES_COLORS[i % SERIES_COLORS.length],
  }));
  if (rest.length > 0) {
    slices.push({
      label: `Other languages (${rest.length})`,
      repos: rest.reduce((n, stat) => n + stat.repos, 0),
      share: rest.reduce((n, stat) => n + stat.share, 0),
      color: OTHER_COLOR,
    });
  }
  return slices;
}
