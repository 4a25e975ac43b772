import { createHash, randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, apiVersionShape } from './api-versions';

/**
 * Headers GitHub sends on every API answer, whatever the route: among them the version it was
 * served in, and for a deprecated version its `Deprecation` and `Sunset`. A request naming a
 * version GitHub does not serve gets none of those (nothing was selected).
 */
export function commonHeaders(req: IncomingMessage): Record<string, string> {
  const authorized = req.headers.authorization !== undefined;
  const version = apiVersionOf(req);
  return {
    server: 'github.com',
    ...(version === undefined ? {} : apiVersionShape(version).headers),
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    'cache-control': `${authorized ? 'private' : 'public'}, max-age=60, s-maxage=60`,
    vary: 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding',
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  send(res, status, JSON.stringify(body), {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
}

export function send(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/**
 * A strong ETag over what GitHub's depends on: the body and the request's `Authorization` and
 * `Accept` headers (so revalidating with another token gets a 200, as on GitHub).
 */
export function etagOf(body: string, req: IncomingMessage): string {
  const hash = createHash('sha256')
    .update(req.headers.authorization ?? '')
    .update('\n')
    .update(req.headers.accept ?? '')
    .update('\n')
    .update(body)
    .digest('hex');
  return `"${hash.slice(0, 40)}"`;
}

/** RFC 9110: `If-None-Match` wins over `If-Modified-Since`; ETags compare weakly (a `W/` matches). */
export function isNotModified(
  req: IncomingMessage,
  etag: string,
  lastModified: string | undefined,
): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(etag);
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince !== undefined && lastModified !== undefined) {
    const since = Date.parse(ifModifiedSince);
    return Number.isFinite(since) && Date.parse(lastModified) <= since;
  }
  return false;
}
