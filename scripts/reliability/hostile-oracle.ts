/**
 * What a correct service must do with a request, worked out independently of the service's code
 * from the README's rules: which route a raw request target reaches, whether its parameters are
 * valid, and which GitHub requests it may cause. The hostile-input properties compare the
 * service with this.
 */

/** GitHub's login rule: 1–39 letters, digits or single hyphens, no hyphen at either end. */
export function isLogin(value: string): boolean {
  return (
    value.length >= 1 &&
    value.length <= 39 &&
    /^[A-Za-z0-9-]+$/.test(value) &&
    !value.startsWith('-') &&
    !value.endsWith('-') &&
    !value.includes('--')
  );
}

/** GitHub's repository-name rule: 1–100 letters, digits, `.`, `-`, `_`; never `.` or `..`. */
export function isRepoName(value: string): boolean {
  return (
    value.length >= 1 &&
    value.length <= 100 &&
    /^[A-Za-z0-9._-]+$/.test(value) &&
    value !== '.' &&
    value !== '..'
  );
}

export type Route =
  'user-repos' | 'org-repos' | 'repo' | 'profile' | 'summary' | 'rate-limit' | 'probe';

/** What the service must do with one request. */
export type Expectation =
  /** A 4xx, and no GitHub request at all. */
  | { kind: 'reject'; reason: string }
  /**
   * Served: GitHub may be asked only about `login` (and `repo`). `exact` is false when the rules
   * do not decide the status (a query part that will not percent-decode may be read literally).
   */
  | { kind: 'serve'; route: Route; login?: string; repo?: string; exact: boolean; reason: string };

export const MAX_URL_LENGTH = 2048;
export const MAX_QUERY_PARAMETERS = 20;
const LIST_PARAMETERS = new Set([
  'sort',
  'direction',
  'language',
  'includeForks',
  'page',
  'perPage',
]);
const SORTS = new Set(['stars', 'forks', 'name', 'updated', 'pushed', 'created']);
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The expectation for `method` and a raw request target (the bytes of the request line). A
 * target's path ends at the first `?` or `#` (RFC 3986); segments are split on raw `/` and only
 * then percent-decoded, so `%2F` is part of a parameter, never a separator.
 */
export function expectationFor(method: string, target: string): Expectation {
  if (!READ_METHODS.has(method)) {
    return { kind: 'reject', reason: `${method} on a read-only API` };
  }
  const lineEnd = target.search(/[\r\n]/);
  if (lineEnd >= 0) {
    // Node's parser ends the request line at the first CR or LF and accepts it without an HTTP
    // version (as 0.9); what follows is read as header lines, or refused when it is not one.
    // The service may then serve what precedes the break, but nothing more.
    const inner = expectationFor(method, target.slice(0, lineEnd));
    return inner.kind === 'reject'
      ? inner
      : { ...inner, exact: false, reason: 'request line cut at CR/LF' };
  }
  const padded = /^[ \t]*(\S+)[ \t]*$/.exec(target);
  if (padded && padded[1] !== target) {
    // Spaces around the target read as extra separators in the request line: lenient, harmless.
    const inner = expectationFor(method, padded[1]);
    return inner.kind === 'reject'
      ? inner
      : { ...inner, exact: false, reason: 'spaces around the target' };
  }
  if (/[^\x21-\x7e]/.test(target)) {
    return {
      kind: 'reject',
      reason: 'bytes a request target may not hold (control, space, non-ASCII)',
    };
  }
  if (target.length > MAX_URL_LENGTH) {
    return { kind: 'reject', reason: `URL over ${MAX_URL_LENGTH} characters` };
  }
  let origin = target;
  // Absolute form (RFC 9112 §3.2.2): servers must accept it; the path is what follows the
  // authority. An authority that is not host[:port] may fairly be refused instead.
  let plainAuthority = true;
  const absolute = /^https?:\/\/([^/?#]*)/i.exec(origin);
  if (absolute) {
    origin = origin.slice(absolute[0].length);
    plainAuthority = /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(absolute[1]);
  }
  if (!origin.startsWith('/')) {
    return { kind: 'reject', reason: 'not an origin-form target' };
  }
  // A fragment has no place in a request target: served as if cut there, or refused; either will do.
  const exact = !origin.includes('#') && plainAuthority;
  const cut = origin.search(/[?#]/);
  const path = cut < 0 ? origin : origin.slice(0, cut);
  const query = cut < 0 ? '' : origin.slice(cut + 1);
  const segments = path.split('/').slice(1);
  const routed = route(segments);
  if (!routed) {
    return { kind: 'reject', reason: 'no such route' };
  }
  const decoded: string[] = [];
  for (const raw of routed.params) {
    try {
      decoded.push(decodeURIComponent(raw));
    } catch {
      return { kind: 'reject', reason: 'malformed percent-encoding in the path' };
    }
  }
  if (query.split('&').length > MAX_QUERY_PARAMETERS) {
    return { kind: 'reject', reason: `more than ${MAX_QUERY_PARAMETERS} query parameters` };
  }
  switch (routed.route) {
    case 'probe':
    case 'rate-limit':
      return { kind: 'serve', route: routed.route, exact, reason: 'no parameters' };
    case 'repo': {
      const [owner, repo] = decoded;
      if (!isLogin(owner)) {
        return { kind: 'reject', reason: `owner ${JSON.stringify(owner)} is not a login` };
      }
      if (!isRepoName(repo)) {
        return { kind: 'reject', reason: `repo ${JSON.stringify(repo)} is not a repository name` };
      }
      const queryReason = noQueryProblem(query);
      return queryReason
        ? { kind: 'reject', reason: queryReason }
        : { kind: 'serve', route: 'repo', login: owner, repo, exact, reason: 'valid' };
    }
    default: {
      const [login] = decoded;
      if (!isLogin(login)) {
        return { kind: 'reject', reason: `${JSON.stringify(login)} is not a login` };
      }
      const isList = routed.route === 'user-repos' || routed.route === 'org-repos';
      if (isList && !parseQuery(query)) {
        return {
          kind: 'serve',
          route: routed.route,
          login,
          exact: false,
          reason: 'undecodable query',
        };
      }
      const queryReason = isList ? listQueryProblem(query) : noQueryProblem(query);
      return queryReason
        ? { kind: 'reject', reason: queryReason }
        : { kind: 'serve', route: routed.route, login, exact, reason: 'valid' };
    }
  }
}

function route(segments: string[]): { route: Route; params: string[] } | undefined {
  const [a, b, c, d, ...rest] = segments;
  const param = (s: string | undefined): s is string => s !== undefined && s !== '';
  if (rest.length > 0) {
    return undefined;
  }
  if (a === 'health' && (b === undefined || (b === 'ready' && c === undefined))) {
    return { route: 'probe', params: [] };
  }
  if (a === 'metrics' && b === undefined) {
    return { route: 'probe', params: [] };
  }
  if (a !== 'github') {
    return undefined;
  }
  if (b === 'rate-limit' && c === undefined) {
    return { route: 'rate-limit', params: [] };
  }
  if (b === 'repos' && param(c) && d === undefined) {
    return { route: 'user-repos', params: [c] };
  }
  if (b === 'repos' && param(c) && param(d)) {
    return { route: 'repo', params: [c, d] };
  }
  if (b === 'users' && param(c) && d === undefined) {
    return { route: 'profile', params: [c] };
  }
  if (b === 'users' && param(c) && d === 'summary') {
    return { route: 'summary', params: [c] };
  }
  if (b === 'orgs' && param(c) && d === 'repos') {
    return { route: 'org-repos', params: [c] };
  }
  return undefined;
}

/** A query string as form-decoding reads it: `+` is a space; undefined when a part will not decode. */
function parseQuery(query: string): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') {
      continue;
    }
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    try {
      pairs.push([
        decodeURIComponent(rawKey.replace(/\+/g, ' ')),
        decodeURIComponent(rawValue.replace(/\+/g, ' ')),
      ]);
    } catch {
      return undefined;
    }
  }
  return pairs;
}

/** Routes that take no query: any parameter at all is a 400. */
function noQueryProblem(query: string): string | undefined {
  return query.split('&').some((part) => part !== '')
    ? 'a parameter on a route that takes none'
    : undefined;
}

/** The list routes' rules (README): known names only, once each, valid values. */
function listQueryProblem(query: string): string | undefined {
  const pairs = parseQuery(query) ?? [];
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    if (!LIST_PARAMETERS.has(key)) {
      return `unknown parameter ${JSON.stringify(key)}`;
    }
    if (seen.has(key)) {
      return `repeated parameter ${key}`;
    }
    seen.add(key);
    const problem = valueProblem(key, value);
    if (problem) {
      return problem;
    }
  }
  return undefined;
}

function valueProblem(key: string, value: string): string | undefined {
  switch (key) {
    case 'sort':
      return SORTS.has(value) ? undefined : `sort ${JSON.stringify(value)}`;
    case 'direction':
      return value === 'asc' || value === 'desc' ? undefined : `direction ${JSON.stringify(value)}`;
    case 'includeForks':
      return value === 'true' || value === 'false'
        ? undefined
        : `includeForks ${JSON.stringify(value)}`;
    case 'page':
      return integerIn(value, 1, 100_000) ? undefined : `page ${JSON.stringify(value)}`;
    case 'perPage':
      return integerIn(value, 1, 100) ? undefined : `perPage ${JSON.stringify(value)}`;
    case 'language': {
      const characters = [...value];
      return characters.length >= 1 && characters.length <= 64 && !/\p{Cc}/u.test(value)
        ? undefined
        : `language ${JSON.stringify(value)}`;
    }
    default:
      return `unknown parameter ${key}`;
  }
}

/** A decimal integer in range; surrounding whitespace is tolerated (it carries no meaning). */
function integerIn(value: string, min: number, max: number): boolean {
  const trimmed = value.trim();
  return /^\d+$/.test(trimmed) && Number(trimmed) >= min && Number(trimmed) <= max;
}

/** One GitHub request the fake received. */
export interface UpstreamCall {
  method: string;
  path: string;
}

/**
 * Why a GitHub request is not one of the intended routes with valid names, or undefined when it
 * is. Query parameters are GitHub's own paging and filter ones only.
 */
export function upstreamProblem(call: UpstreamCall): string | undefined {
  if (call.method !== 'GET') {
    return `method ${call.method}`;
  }
  const cut = call.path.indexOf('?');
  const path = cut < 0 ? call.path : call.path.slice(0, cut);
  const query = cut < 0 ? '' : call.path.slice(cut + 1);
  const segments = path.split('/').slice(1);
  const [a, b, c, d, ...rest] = segments;
  let ok = false;
  let list = false;
  if (rest.length === 0) {
    if (a === 'users' && b !== undefined && isLogin(b) && c === undefined) {
      ok = true;
    } else if (a === 'users' && b !== undefined && isLogin(b) && c === 'repos' && d === undefined) {
      ok = list = true;
    } else if (
      a === 'user' &&
      b !== undefined &&
      /^\d{1,12}$/.test(b) &&
      c === 'repos' &&
      d === undefined
    ) {
      ok = list = true;
    } else if (a === 'orgs' && b !== undefined && isLogin(b) && c === 'repos' && d === undefined) {
      ok = list = true;
    } else if (
      a === 'organizations' &&
      b !== undefined &&
      /^\d{1,12}$/.test(b) &&
      c === 'repos' &&
      d === undefined
    ) {
      ok = list = true;
    } else if (a === 'repos' && b !== undefined && isLogin(b) && c !== undefined && isRepoName(c)) {
      ok = d === undefined || d === 'languages';
    } else if (a === 'rate_limit' && b === undefined) {
      ok = true;
    }
  }
  if (!ok) {
    return `not an intended GitHub route: ${call.path}`;
  }
  if (query !== '') {
    // sort/direction: lists are read by name, and past the ceiling by most recent push.
    const allowed =
      /^(per_page=\d{1,3}|page=\d{1,6}|type=(owner|public|all|member)|sort=(full_name|pushed)|direction=desc)$/;
    if (!list || !query.split('&').every((part) => allowed.test(part))) {
      return `unexpected query on a GitHub request: ${call.path}`;
    }
  }
  return undefined;
}

/** The login a GitHub request is about (lower-cased), if its path names one. */
export function upstreamLogin(path: string): string | undefined {
  const match = /^\/(?:users|orgs|repos)\/([^/?]+)/.exec(path);
  return match ? match[1].toLowerCase() : undefined;
}

/** The repository a GitHub request is about (lower-cased), if any. */
export function upstreamRepo(path: string): string | undefined {
  const match = /^\/repos\/[^/?]+\/([^/?]+)/.exec(path);
  return match ? match[1].toLowerCase() : undefined;
}
