import { formatLinkHeader, LinkRelations } from '../api/link-header';
import { RepoListingPage } from './repo-listing';

/**
 * Our own `Link` header, like GitHub's: first/prev/next/last pages of the filtered list, as
 * relative URLs (a proxy in front of us knows our public origin; we do not) that keep the
 * caller's other query parameters.
 */
export function ourPageLinks(
  path: string,
  query: object,
  page: Pick<RepoListingPage, 'page' | 'perPage' | 'lastPage'>,
): string | undefined {
  const pageUrl = (n: number): string => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && key !== 'page' && key !== 'perPage') {
        params.set(key, String(value));
      }
    }
    params.set('page', String(n));
    params.set('perPage', String(page.perPage));
    return `${path}?${params.toString()}`;
  };
  const links: LinkRelations = { first: pageUrl(1), last: pageUrl(page.lastPage) };
  if (page.page > 1) {
    links.prev = pageUrl(Math.min(page.page - 1, page.lastPage));
  }
  if (page.page < page.lastPage) {
    links.next = pageUrl(page.page + 1);
  }
  return formatLinkHeader(links);
}
