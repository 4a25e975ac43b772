import { GithubRepoJson } from './github-json';
import { pageOf, paginate, perPageOf } from './pagination';
import type { Answer, RouteContext } from './routes';
import {
  bareToken,
  MAX_STARGAZER_PAGES,
  PAGINATION_LIMITED,
  STARGAZERS_FORBIDDEN,
  stargazerUser,
  wantsStarredAt,
} from './stargazers';

/**
 * `GET /repos/:owner/:repo/stargazers` (and `/repositories/:id/stargazers`): oldest first, paged
 * as GitHub does with `Link` URLs by repository id, at most 400 pages (422 past them), listable
 * only by the repository's collaborators (403, or an empty list, for everyone else).
 */
export function stargazerPage(
  repo: GithubRepoJson | undefined,
  query: URLSearchParams,
  context: RouteContext,
): Answer {
  if (!repo) {
    return { status: 404, body: undefined };
  }
  const list = context.stargazers.of(repo);
  const token = bareToken(context.authorization);
  if (token === undefined || !list.collaborators.has(token)) {
    return list.restriction === 'empty'
      ? { status: 200, body: [], lastModified: httpDate(repo.updated_at) }
      : { status: 403, body: STARGAZERS_FORBIDDEN };
  }
  if (pageOf(query) > MAX_STARGAZER_PAGES) {
    return { status: 422, body: PAGINATION_LIMITED };
  }
  const page = paginate(
    list.starredAt,
    query,
    `${context.origin}/repositories/${repo.id}/stargazers`,
    MAX_STARGAZER_PAGES,
  );
  const first = (pageOf(query) - 1) * perPageOf(query);
  const withDates = wantsStarredAt(context.accept);
  return {
    status: 200,
    body: page.items.map((starredAt, i) =>
      withDates
        ? { starred_at: starredAt, user: stargazerUser(first + i) }
        : stargazerUser(first + i),
    ),
    link: page.link,
    lastModified: httpDate(page.items.at(-1) ?? repo.updated_at),
    headers: withDates ? { 'x-github-media-type': 'github.v3; param=star; format=json' } : {},
  };
}

function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}
