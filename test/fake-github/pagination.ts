/** GitHub's list defaults: 30 per page unless asked, never more than 100. */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

export interface PageOf<T> {
  items: T[];
  /** The `Link` header value, or undefined when one page holds everything (as on GitHub). */
  link: string | undefined;
}

/**
 * Cuts one page as GitHub does: `per_page` over 100 is clamped, nonsense falls back to the
 * default, `page` is 1-based. Links are absolute and keep the request's other parameters; GitHub
 * lists them in the order prev, next, last, first. Where GitHub lists only `maxPage` pages (the
 * stargazers: 400), `last` names that page even when the list goes on.
 */
export function paginate<T>(
  items: readonly T[],
  query: URLSearchParams,
  linkBase: string,
  maxPage = Infinity,
): PageOf<T> {
  const perPage = perPageOf(query);
  const page = pageOf(query);
  const lastPage = Math.min(Math.max(1, Math.ceil(items.length / perPage)), maxPage);
  const start = (page - 1) * perPage;
  const pageItems = items.slice(start, start + perPage);
  if (lastPage === 1 && page === 1) {
    return { items: pageItems, link: undefined };
  }
  const url = (n: number): string => {
    const params = new URLSearchParams(query);
    params.delete('page');
    params.set('page', String(n));
    return `${linkBase}?${params.toString()}`;
  };
  const relations: string[] = [];
  if (page > 1) {
    relations.push(`<${url(page - 1)}>; rel="prev"`);
  }
  if (page < lastPage) {
    relations.push(`<${url(page + 1)}>; rel="next"`, `<${url(lastPage)}>; rel="last"`);
  }
  if (page > 1) {
    relations.push(`<${url(1)}>; rel="first"`);
  }
  return { items: pageItems, link: relations.join(', ') };
}

/** The page size asked for, as GitHub reads it: clamped to 100, the default when unreadable. */
export function perPageOf(query: URLSearchParams): number {
  return Math.min(positiveInt(query.get('per_page')) ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
}

/** The 1-based page asked for; 1 when unreadable. */
export function pageOf(query: URLSearchParams): number {
  return positiveInt(query.get('page')) ?? 1;
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) {
    return undefined;
  }
  const number = Number(value);
  return number >= 1 ? number : undefined;
}
