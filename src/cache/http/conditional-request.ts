import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether `If-None-Match` matches `etag`: weak comparison, as RFC 9110 §13.1.2 asks for this
 * header (`W/"x"` matches `"x"`), over a comma-separated list, and `*` matches any current
 * representation.
 */
export function ifNoneMatchMatches(
  ifNoneMatch: string | string[] | undefined,
  etag: string,
): boolean {
  if (!ifNoneMatch) {
    return false;
  }
  const opaque = etag.replace(/^W\//, '');
  return [ifNoneMatch]
    .flat()
    .flatMap((value) => value.split(','))
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag.replace(/^W\//, '') === opaque);
}

/** `Cache-Control: no-cache` (or `max-age=0`) from a client asks us to revalidate upstream now. */
export function wantsRevalidation(headers: IncomingHttpHeaders): boolean {
  const cacheControl = headers['cache-control'] ?? '';
  return /(^|,)\s*(no-cache|max-age=0)\s*(,|$)/i.test(cacheControl);
}
