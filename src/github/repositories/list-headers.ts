import type { CachedRouteOptions } from '../../cache/http/cached-route.decorator';
import { ourPageLinks } from './our-page-links';
import type { RepoListPage } from './repo-list.service';
import { lastPageOf } from './repo-listing';

/**
 * What both list routes add to a 200: our own `Link` header to the other pages of the filtered
 * list (from the request's own path and query, so the user and organisation routes share it) and
 * `X-Repos-Complete`, with their descriptions for the OpenAPI document.
 */
export const LIST_ROUTE: CachedRouteOptions<RepoListPage> = {
  headers: (page, request) => {
    const path = request.url.split('?', 1)[0];
    const link = ourPageLinks(path, request.query as object, {
      page: page.page,
      perPage: page.perPage,
      lastPage: lastPageOf(page.total, page.perPage),
    });
    return { ...(link ? { link } : {}), 'x-repos-complete': String(page.complete) };
  },
  documentedHeaders: {
    Link: 'Our own first/prev/next/last pages',
    'X-Repos-Complete':
      '`false` when the account has more repositories than one request reads (GITHUB_MAX_REPOS_PER_ACCOUNT): the answer covers the most recently pushed ones',
  },
};
