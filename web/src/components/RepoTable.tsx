import { useId } from 'react';
import type { Fetched, LanguageStat, Repo, RepoPage, RepoQuery, RepoSort } from '../api/types';
import { formatDate, formatNumber, formatRelative } from '../format';
import type { FetchState } from '../hooks/use-fetch';
import { DEFAULT_QUERY, defaultDirection, PER_PAGE_CHOICES, writeLocation } from '../location';
import { FailureState } from './FailureState';
import { Pagination } from './Pagination';

interface Props {
  login: string;
  languages: LanguageStat[];
  repos: FetchState<Fetched<RepoPage>>;
  query: RepoQuery;
  onQueryChange: (query: RepoQuery) => void;
  /** A repository's name opens its view (details and star history) in the page. */
  onOpenRepo: (repo: Repo) => void;
  onRetry: () => void;
  now: Date;
}

const SORT_LABELS: Record<RepoSort, string> = {
  stars: 'Stars',
  forks: 'Forks',
  name: 'Name',
  updated: 'Last updated',
  pushed: 'Last pushed',
  created: 'Created',
};

/** How each direction reads for the sort at hand. */
function directionLabels(sort: RepoSort): { asc: string; desc: string } {
  if (sort === 'name') {
    return { asc: 'A to Z', desc: 'Z to A' };
  }
  if (sort === 'stars' || sort === 'forks') {
    return { asc: 'Fewest first', desc: 'Most first' };
  }
  return { asc: 'Oldest first', desc: 'Newest first' };
}

/**
 * Every public repository, sorted, filtered and paged by the API (not in the browser: an account
 * may have thousands). Changing sort, filter or page size goes back to page 1.
 */
export function RepoTable({
  login,
  languages,
  repos,
  query,
  onQueryChange,
  onOpenRepo,
  onRetry,
  now,
}: Props) {
  const ids = {
    sort: useId(),
    direction: useId(),
    language: useId(),
    forks: useId(),
    perPage: useId(),
  };
  const shown =
    repos.status === 'success'
      ? repos.value.data
      : repos.status === 'loading'
        ? repos.previous?.data
        : undefined;
  // Rows of the account searched before are never shown under this one's profile.
  const page = shown?.username.toLowerCase() === login.toLowerCase() ? shown : undefined;
  const loading = repos.status === 'loading' || repos.status === 'idle';
  const change = (patch: Partial<RepoQuery>): void =>
    onQueryChange({ ...query, page: 1, ...patch });
  const sortBy = (sort: RepoSort): void =>
    change({
      sort,
      direction:
        sort === query.sort ? (query.direction === 'asc' ? 'desc' : 'asc') : defaultDirection(sort),
    });
  const labels = directionLabels(query.sort);
  const lastPage = page ? Math.max(1, Math.ceil(page.total / page.perPage)) : 1;

  return (
    <section className="panel repos" aria-labelledby="repos-title">
      <div className="repos__header">
        <h2 id="repos-title">Repositories</h2>
        {page && (
          <p className="repos__count" data-testid="repo-count">
            {formatNumber(page.total)} {page.total === 1 ? 'repository' : 'repositories'}
            {!page.complete && `, from the ${page.coverage}`}
          </p>
        )}
      </div>

      <div className="controls" role="group" aria-label="Table options">
        <div className="control">
          <label htmlFor={ids.sort}>Sort by</label>
          <select
            id={ids.sort}
            value={query.sort}
            onChange={(event) => {
              const sort = event.target.value as RepoSort;
              change({ sort, direction: defaultDirection(sort) });
            }}
          >
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="control">
          <label htmlFor={ids.direction}>Order</label>
          <select
            id={ids.direction}
            value={query.direction}
            onChange={(event) => change({ direction: event.target.value as 'asc' | 'desc' })}
          >
            <option value="desc">{labels.desc}</option>
            <option value="asc">{labels.asc}</option>
          </select>
        </div>
        <div className="control">
          <label htmlFor={ids.language}>Language</label>
          <select
            id={ids.language}
            value={query.language ?? ''}
            onChange={(event) => change({ language: event.target.value || undefined })}
          >
            <option value="">All languages</option>
            {languageOptions(languages, query.language).map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="control">
          <label htmlFor={ids.perPage}>Per page</label>
          <select
            id={ids.perPage}
            value={query.perPage}
            onChange={(event) => change({ perPage: Number(event.target.value) })}
          >
            {PER_PAGE_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div className="control control--check">
          <input
            id={ids.forks}
            type="checkbox"
            checked={query.includeForks}
            onChange={(event) => change({ includeForks: event.target.checked })}
          />
          <label htmlFor={ids.forks}>Include forks</label>
        </div>
      </div>

      {repos.status === 'error' ? (
        <FailureState failure={repos.failure} login={login} now={now} onRetry={onRetry} inline />
      ) : !page ? (
        <p className="repos__loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading repositories…
        </p>
      ) : (
        <>
          <div className="table-wrap" aria-busy={loading}>
            {loading && (
              <p className="visually-hidden" role="status">
                Loading repositories…
              </p>
            )}
            <table className={`table${loading ? ' table--loading' : ''}`} data-testid="repo-table">
              <caption className="visually-hidden">
                Repositories of {login}, sorted by {SORT_LABELS[query.sort].toLowerCase()} (
                {labels[query.direction].toLowerCase()}), page {page.page} of {lastPage}
              </caption>
              <thead>
                <tr>
                  <SortHeader sort="name" query={query} onSort={sortBy}>
                    Repository
                  </SortHeader>
                  <th scope="col">Language</th>
                  <SortHeader sort="stars" query={query} onSort={sortBy} numeric>
                    Stars
                  </SortHeader>
                  <SortHeader sort="forks" query={query} onSort={sortBy} numeric>
                    Forks
                  </SortHeader>
                  <SortHeader sort="updated" query={query} onSort={sortBy}>
                    Updated
                  </SortHeader>
                </tr>
              </thead>
              <tbody>
                {page.repos.map((repo) => (
                  <RepoRow
                    key={repo.fullName}
                    repo={repo}
                    login={login}
                    onOpen={onOpenRepo}
                    now={now}
                  />
                ))}
              </tbody>
            </table>
            {page.repos.length === 0 && (
              <p className="empty">
                {page.total === 0
                  ? 'No repositories match these options.'
                  : 'This page is past the last one.'}
              </p>
            )}
          </div>
          <Pagination
            page={page.page}
            perPage={page.perPage}
            total={page.total}
            lastPage={lastPage}
            onPage={(n) => onQueryChange({ ...query, page: n })}
          />
        </>
      )}
    </section>
  );
}

function SortHeader({
  sort,
  query,
  onSort,
  numeric = false,
  children,
}: {
  sort: RepoSort;
  query: RepoQuery;
  onSort: (sort: RepoSort) => void;
  numeric?: boolean;
  children: string;
}) {
  const active = query.sort === sort;
  const next = active ? (query.direction === 'asc' ? 'desc' : 'asc') : defaultDirection(sort);
  return (
    <th
      scope="col"
      className={numeric ? 'numeric' : undefined}
      aria-sort={active ? (query.direction === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <button
        type="button"
        className="sort-button"
        onClick={() => onSort(sort)}
        title={`Sort by ${children.toLowerCase()}, ${directionLabels(sort)[next].toLowerCase()}`}
      >
        {children}
        <span className="sort-button__arrow" aria-hidden="true">
          {active ? (query.direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

function RepoRow({
  repo,
  login,
  onOpen,
  now,
}: {
  repo: Repo;
  login: string;
  onOpen: (repo: Repo) => void;
  now: Date;
}) {
  return (
    <tr>
      <td data-label="Repository" className="repo">
        {/* A real link (new tab, copy address) that opens the repository view in place. */}
        <a
          className="repo__name"
          href={`/${writeLocation({ user: login, repo: repo.name, query: DEFAULT_QUERY })}`}
          onClick={(event) => {
            if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
              return;
            }
            event.preventDefault();
            onOpen(repo);
          }}
        >
          {repo.name}
        </a>
        {repo.fork && <span className="badge">Fork</span>}
        {repo.archived && <span className="badge badge--muted">Archived</span>}
        {repo.description && <p className="repo__description">{repo.description}</p>}
      </td>
      <td data-label="Language">{repo.language ?? <span className="muted">—</span>}</td>
      <td data-label="Stars" className="numeric">
        {formatNumber(repo.stars)}
      </td>
      <td data-label="Forks" className="numeric">
        {formatNumber(repo.forks)}
      </td>
      <td data-label="Updated">
        <time dateTime={repo.updatedAt} title={formatDate(repo.updatedAt)}>
          {formatRelative(new Date(repo.updatedAt), now)}
        </time>
      </td>
    </tr>
  );
}

/** The summary's languages (own repositories), plus the one in the address bar if it is another. */
function languageOptions(
  languages: LanguageStat[],
  selected: string | undefined,
): { value: string; label: string }[] {
  const named = languages
    .filter((stat) => stat.language !== null)
    .map((stat) => stat.language as string)
    .sort((a, b) => a.localeCompare(b));
  const options = named.map((language) => ({ value: language, label: language }));
  if (languages.some((stat) => stat.language === null)) {
    options.push({ value: 'none', label: 'No language' });
  }
  if (
    selected &&
    !options.some((option) => option.value.toLowerCase() === selected.toLowerCase())
  ) {
    options.push({ value: selected, label: selected });
  }
  return options;
}
