export interface OurLink {
  path: string;
  /** The link's query as a plain object, so tests need not depend on parameter order. */
  query: Record<string, string>;
}

/** Parses the service's `Link` header (relative URLs) into relation → path and query. */
export function parseOurLinks(header: string | undefined): Record<string, OurLink> {
  const links: Record<string, OurLink> = {};
  for (const [, target, rel] of (header ?? '').matchAll(/<([^>]*)>\s*;\s*rel="([^"]+)"/g)) {
    const url = new URL(target, 'http://service.invalid');
    links[rel] = { path: url.pathname, query: Object.fromEntries(url.searchParams) };
  }
  return links;
}
