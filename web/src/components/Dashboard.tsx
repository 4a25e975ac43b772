import { lazy, Suspense } from 'react';
import type { Fetched, RepoPage, RepoQuery, Summary } from '../api/types';
import type { FetchState } from '../hooks/use-fetch';
import { CoverageNote } from './CoverageNote';
import { FreshnessNote } from './FreshnessNote';
import { ProfileCard } from './ProfileCard';
import { RepoTable } from './RepoTable';
import { Totals } from './Totals';

// Chart.js is half the page's script: it loads beside the first answer instead of before it.
export const preloadCharts = () => import('./Charts');
const Charts = lazy(preloadCharts);

interface Props {
  summary: Fetched<Summary>;
  repos: FetchState<Fetched<RepoPage>>;
  query: RepoQuery;
  onQueryChange: (query: RepoQuery) => void;
  onRetry: () => void;
  now: Date;
}

export function Dashboard({ summary, repos, query, onQueryChange, onRetry, now }: Props) {
  const { profile, totals, languages, topRepos } = summary.data;
  const table = repos.status === 'success' ? repos.value : undefined;
  return (
    <div className="dashboard">
      <FreshnessNote parts={table ? [summary, table] : [summary]} now={now} onRefresh={onRetry} />
      <CoverageNote summary={summary.data} />
      <ProfileCard profile={profile} now={now} />
      <Totals totals={totals} />
      <Suspense
        fallback={
          <div className="charts" aria-hidden="true">
            <div className="panel skeleton skeleton--chart" />
            <div className="panel skeleton skeleton--chart" />
          </div>
        }
      >
        <Charts languages={languages} topRepos={topRepos} />
      </Suspense>
      <RepoTable
        login={profile.login}
        languages={languages}
        repos={repos}
        query={query}
        onQueryChange={onQueryChange}
        onRetry={onRetry}
        now={now}
      />
    </div>
  );
}
