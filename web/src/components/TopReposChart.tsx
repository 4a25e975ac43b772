import { useMemo } from 'react';
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { Repo } from '../api/types';
import { formatNumber } from '../format';
import { ChartCanvas, themeOf } from './ChartCanvas';

interface Props {
  repos: Repo[];
}

const LABEL_CHARS = 18;
const BAR_COLOR = '#1f6feb';

/** The most starred repositories (the summary's `topRepos`) as horizontal bars. */
export function TopReposChart({ repos }: Props) {
  const config = useMemo(() => bars(repos), [repos]);
  return (
    <section className="panel chart" aria-labelledby="top-repos-title">
      <h2 id="top-repos-title">Most starred</h2>
      <p className="chart__subtitle">Top repositories by stars</p>
      {repos.length === 0 ? (
        <p className="empty">No repositories yet.</p>
      ) : (
        <>
          <ChartCanvas config={config} height={repos.length * 40 + 16} />
          <table className="visually-hidden" data-testid="top-repos">
            <caption>Most starred repositories</caption>
            <thead>
              <tr>
                <th scope="col">Repository</th>
                <th scope="col">Stars</th>
              </tr>
            </thead>
            <tbody>
              {repos.map((repo) => (
                <tr key={repo.fullName}>
                  <th scope="row">{repo.name}</th>
                  <td>{formatNumber(repo.stars)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function bars(repos: Repo[]): ChartConfiguration<'bar'> {
  const theme = themeOf();
  // The star count at the end of each bar, so the chart reads without hovering.
  const values: Plugin<'bar'> = {
    id: 'values',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      ctx.save();
      ctx.fillStyle = theme.text;
      ctx.font = `600 13px ${theme.font}`;
      ctx.textBaseline = 'middle';
      chart.getDatasetMeta(0).data.forEach((bar, i) => {
        ctx.fillText(formatNumber(repos[i].stars), bar.x + 6, bar.y);
      });
      ctx.restore();
    },
  };
  return {
    type: 'bar',
    data: {
      labels: repos.map((repo) => repo.name),
      datasets: [
        {
          data: repos.map((repo) => repo.stars),
          backgroundColor: BAR_COLOR,
          borderRadius: 4,
          maxBarThickness: 26,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { right: 64 } },
      font: { family: theme.font },
      scales: {
        x: { display: false, beginAtZero: true },
        y: {
          grid: { display: false },
          border: { display: false },
          ticks: {
            color: theme.text,
            font: { size: 13, family: theme.font },
            // Long names are cut to fit, more on a phone; the tooltip and the table have them whole.
            callback(_value, index) {
              const name = repos[index].name;
              const max = this.chart.width < 400 ? 13 : LABEL_CHARS;
              return name.length > max ? `${name.slice(0, max - 1)}…` : name;
            },
          },
        },
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items) => repos[items[0].dataIndex].name,
            label: (item) => ` ${formatNumber(Number(item.raw))} stars`,
          },
        },
      },
    },
    plugins: [values],
  };
}
