import { Suspense } from 'react';
import type { AccountHistory, Fetched, Repo, RepoPage, RepoQuery, Summary } from '../api/types';
import type { FetchState } from '../hooks/use-fetch';
import { CoverageNote } from './CoverageNote';
import { FreshnessNote } from './FreshnessNote';
import { GrowthSection } from './GrowthSection';
import { AccountCharts } from './lazy-charts';
import { ProfileCard } from './ProfileCard';
import { RepoTable } from './RepoTable';
import { Totals } from './Totals';

interface Props {
  summary: Fetched<Summary>;
  repos: FetchState<Fetched<RepoPage>>;
  history: FetchState<AccountHistory>;
  query: RepoQuery;
  onQueryChange: (query: RepoQuery) => void;
  onOpenRepo: (repo: Repo) => void;
  onRetry: () => void;
  now: Date;
}

export function Dashboard({
  summary,
  repos,
  history,
  query,
  onQueryChange,
  onOpenRepo,
  onRetry,
  now,
}: Props) {
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
        <AccountCharts languages={languages} topRepos={topRepos} />
      </Suspense>
      <GrowthSection history={history} showFollowers={profile.type === 'User'} />
      <RepoTable
        login={profile.login}
        languages={languages}
        repos={repos}
        query={query}
        onQueryChange={onQueryChange}
        onOpenRepo={onOpenRepo}
        onRetry={onRetry}
        now={now}
      />
    </div>
  );
}
