import { useEffect } from 'react';
import { getRepoPage, getSummary, repoSearch } from './api/client';
import type { RepoQuery } from './api/types';
import { Dashboard, preloadCharts } from './components/Dashboard';
import { FailureState } from './components/FailureState';
import { LoadingState } from './components/LoadingState';
import { SearchForm } from './components/SearchForm';
import { Welcome } from './components/Welcome';
import { useFetch } from './hooks/use-fetch';
import { useLocationState } from './hooks/use-location-state';
import { useNow } from './hooks/use-now';
import { DEFAULT_QUERY } from './location';

export function App() {
  const [location, navigate] = useLocationState();
  const now = useNow();
  const { user, query } = location;

  const [summary, retrySummary] = useFetch(user && `summary:${user.toLowerCase()}`, (signal) =>
    getSummary(user!, signal),
  );
  const [repos, retryRepos] = useFetch(
    user && `repos:${user.toLowerCase()}?${repoSearch(query)}`,
    (signal) => getRepoPage(user!, query, signal),
  );

  useEffect(() => {
    if (user !== null) {
      void preloadCharts();
    }
    document.title = user === null ? 'GitHub Dashboard' : `${user} · GitHub Dashboard`;
  }, [user]);

  const search = (login: string): void => {
    navigate({ user: login, query: DEFAULT_QUERY }, 'push');
  };
  const changeQuery = (next: RepoQuery): void => {
    navigate({ user, query: next }, 'replace');
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
      <main id="main" className="content" tabIndex={-1}>
        {user === null ? (
          <Welcome onSearch={search} />
        ) : summary.status === 'error' ? (
          <FailureState failure={summary.failure} login={user} now={now} onRetry={retry} />
        ) : summary.status === 'success' ? (
          <Dashboard
            summary={summary.value}
            repos={repos}
            query={query}
            onQueryChange={changeQuery}
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
