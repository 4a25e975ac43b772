import { ApiError, failureOf } from './api-error';
import type {
  AccountHistory,
  CacheStatus,
  HistoryQuery,
  Fetched,
  RepoDetails,
  RepoPage,
  RepoQuery,
  StarHistory,
  StarHistoryInterval,
  Summary,
} from './types';

/**
 * Longer than the backend's own worst case (GitHub timeout plus retries), so a slow answer is
 * still waited for, but a connection that never answers does not leave the page loading forever.
 */
export const REQUEST_TIMEOUT_MS = 45_000;

const CACHE_STATUSES: readonly string[] = ['HIT', 'MISS', 'STALE', 'REVALIDATED'];

export function getSummary(login: string, signal?: AbortSignal): Promise<Fetched<Summary>> {
  return getJson<Summary>(`/github/users/${encodeURIComponent(login)}/summary`, signal);
}

/**
 * One page of the table. The user route serves organisations too and shares its cached list with
 * the summary, so one upstream fetch feeds both.
 */
export function getRepoPage(
  login: string,
  query: RepoQuery,
  signal?: AbortSignal,
): Promise<Fetched<RepoPage>> {
  return getJson<RepoPage>(
    `/github/repos/${encodeURIComponent(login)}?${repoSearch(query)}`,
    signal,
  );
}

/** How many days the growth chart shows (the route's default). */
export const HISTORY_DAYS: NonNullable<HistoryQuery['days']> = 90;

/** What the service recorded of an account, day by day (the growth chart). */
export async function getAccountHistory(
  login: string,
  signal?: AbortSignal,
): Promise<AccountHistory> {
  const { data } = await fetchJson<AccountHistory>(
    `/github/users/${encodeURIComponent(login)}/history?days=${HISTORY_DAYS}`,
    signal,
  );
  return data;
}

/** One repository: languages by bytes, licence, topics, dates. */
export function getRepoDetails(
  owner: string,
  repo: string,
  signal?: AbortSignal,
): Promise<Fetched<RepoDetails>> {
  return getJson<RepoDetails>(repoPath(owner, repo), signal);
}

/** A repository's star history: one point per day (the default), week or month with a change. */
export async function getStarHistory(
  owner: string,
  repo: string,
  interval: StarHistoryInterval = 'day',
  signal?: AbortSignal,
): Promise<StarHistory> {
  const query = interval === 'day' ? '' : `?interval=${interval}`;
  const { data } = await fetchJson<StarHistory>(
    `${repoPath(owner, repo)}/star-history${query}`,
    signal,
  );
  return data;
}

function repoPath(owner: string, repo: string): string {
  return `/github/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}

export function repoSearch(query: RepoQuery): string {
  const params = new URLSearchParams({
    sort: query.sort,
    direction: query.direction,
    includeForks: String(query.includeForks),
    page: String(query.page),
    perPage: String(query.perPage),
  });
  if (query.language !== undefined) {
    params.set('language', query.language);
  }
  return params.toString();
}

async function getJson<T extends { fetchedAt: string }>(
  path: string,
  signal?: AbortSignal,
): Promise<Fetched<T>> {
  const { data, cache } = await fetchJson<T>(path, signal);
  return { data, cache, fetchedAt: new Date(data.fetchedAt) };
}

/** A GET of our API: its JSON and `X-Cache`, or an ApiError saying what failed. */
async function fetchJson<T>(
  path: string,
  signal?: AbortSignal,
): Promise<{ data: T; cache: CacheStatus | null }> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), REQUEST_TIMEOUT_MS);
  const onAbort = (): void => timeout.abort();
  signal?.addEventListener('abort', onAbort);
  try {
    let response: Response;
    try {
      response = await fetch(path, {
        headers: { accept: 'application/json' },
        signal: timeout.signal,
      });
    } catch (error) {
      if (signal?.aborted) {
        throw error;
      }
      throw new ApiError({
        kind: 'unavailable',
        status: null,
        detail: timeout.signal.aborted
          ? 'The dashboard service did not answer in time.'
          : 'The dashboard service could not be reached.',
      });
    }
    if (!response.ok) {
      throw new ApiError(await failureOf(response, new Date()));
    }
    const data = (await response.json()) as T;
    const cache = response.headers.get('x-cache');
    return {
      data,
      cache: cache !== null && CACHE_STATUSES.includes(cache) ? (cache as CacheStatus) : null,
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
