import { ApiError, failureOf } from './api-error';
import type { CacheStatus, Fetched, RepoPage, RepoQuery, Summary } from './types';

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
      fetchedAt: new Date(data.fetchedAt),
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
