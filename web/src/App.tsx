import { useEffect, useRef } from 'react';
import { getAccountHistory, getRepoPage, getSummary, repoSearch } from './api/client';
import type { Repo, RepoQuery } from './api/types';
import { Dashboard } from './components/Dashboard';
import { FailureState } from './components/FailureState';
import { preloadCharts } from './components/lazy-charts';
import { LoadingState } from './components/LoadingState';
import { RepoView } from './components/RepoView';
import { SearchForm } from './components/SearchForm';
import { Welcome } from './components/Welcome';
import { useFetch } from './hooks/use-fetch';
import { openedFromTable, useLocationState } from './hooks/use-location-state';
import { useNow } from './hooks/use-now';
import { DEFAULT_QUERY } from './location';

export function App() {
  const [location, navigate] = useLocationState();
  const now = useNow();
  const { user, repo, query } = location;
  const main = useRef<HTMLElement>(null);

  const [summary, retrySummary] = useFetch(user && `summary:${user.toLowerCase()}`, (signal) =>
    getSummary(user!, signal),
  );
  const [repos, retryRepos] = useFetch(
    user && `repos:${user.toLowerCase()}?${repoSearch(query)}`,
    (signal) => getRepoPage(user!, query, signal),
  );
  // After the summary: the service records the day's snapshot when it fetches the account, and
  // an account that does not exist needs no history request.
  const [history] = useFetch(
    user && summary.status === 'success' ? `history:${user.toLowerCase()}` : null,
    (signal) => getAccountHistory(user!, signal),
  );

  useEffect(() => {
    if (user !== null) {
      void preloadCharts();
    }
    document.title =
      user === null
        ? 'GitHub Dashboard'
        : repo === null
          ? `${user} · GitHub Dashboard`
          : `${user}/${repo} · GitHub Dashboard`;
  }, [user, repo]);

  const search = (login: string): void => {
    navigate({ user: login, repo: null, query: DEFAULT_QUERY }, 'push');
  };
  const changeQuery = (next: RepoQuery): void => {
    navigate({ user, repo, query: next }, 'replace');
  };
  const openRepo = (opened: Repo): void => {
    navigate({ user, repo: opened.name, query }, 'push', { fromTable: true });
    main.current?.focus();
  };
  // Back to the table: the browser's own Back when the table is the entry before this one (it
  // keeps the table's scroll position), otherwise (a deep link) a new entry for the table.
  const back = (): void => {
    if (openedFromTable()) {
      window.history.back();
    } else {
      navigate({ user, repo: null, query }, 'push');
    }
    main.current?.focus();
  };
  const retry = (): void => {
    retrySummary();
    retryRepos();
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <a className="brand" href="/" aria-label="GitHub Dashboard home">
            <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
              <rect width="32" height="32" rx="7" fill="currentColor" />
              <rect x="7" y="17" width="4" height="8" rx="1" fill="var(--surface)" />
              <rect x="14" y="11" width="4" height="14" rx="1" fill="var(--surface)" />
              <rect x="21" y="7" width="4" height="18" rx="1" fill="var(--surface)" />
            </svg>
            <span>GitHub Dashboard</span>
          </a>
          <SearchForm key={user ?? ''} initial={user ?? ''} onSearch={search} />
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1} ref={main}>
        {user === null ? (
          <Welcome onSearch={search} />
        ) : repo !== null ? (
          <RepoView key={`${user}/${repo}`} owner={user} name={repo} onBack={back} now={now} />
        ) : summary.status === 'error' ? (
          <FailureState failure={summary.failure} login={user} now={now} onRetry={retry} />
        ) : summary.status === 'success' ? (
          <Dashboard
            summary={summary.value}
            repos={repos}
            history={history}
            query={query}
            onQueryChange={changeQuery}
            onOpenRepo={openRepo}
            onRetry={retry}
            now={now}
          />
        ) : (
          <LoadingState login={user} />
        )}
      </main>
      <footer className="site-footer">
        Data from the GitHub REST API through this service&apos;s cache ·{' '}
        <a href="/docs">API documentation</a>
      </footer>
    </>
  );
}
