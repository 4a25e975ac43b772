/** RFC 8288 `Link` headers as GitHub sends them: `<url>; rel="next", <url>; rel="last"`. */
export type LinkRelations = Partial<Record<'first' | 'prev' | 'next' | 'last', string>>;

const LINK_PART = /<([^>]*)>\s*;\s*rel="([^"]+)"/g;

export function parseLinkHeader(header: string | undefined): LinkRelations {
  const links: LinkRelations = {};
  if (!header) {
    return links;
  }
  for (const [, url, rels] of header.matchAll(LINK_PART)) {
    for (const rel of rels.split(/\s+/)) {
      if (rel === 'first' || rel === 'prev' || rel === 'next' || rel === 'last') {
        links[rel] = url;
      }
    }
  }
  return links;
}

export function formatLinkHeader(links: LinkRelations): string | undefined {
  const order = ['first', 'prev', 'next', 'last'] as const;
  const parts = order
    .filter((rel) => links[rel] !== undefined)
    .map((rel) => `<${links[rel]}>; rel="${rel}"`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The `page` query parameter of a link, or undefined when it has none. */
export function pageOf(url: string | undefined): number | undefined {
  if (!url) {
    return undefined;
  }
  const page = Number(new URL(url, 'http://link.invalid').searchParams.get('page'));
  return Number.isInteger(page) && page > 0 ? page : undefined;
}
