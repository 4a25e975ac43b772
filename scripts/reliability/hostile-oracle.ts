/**
 * What a correct service must do with a request, judged from the service's own OpenAPI document
 * (GET /docs-json): its path templates, the `pattern` of each path parameter, and each query
 * parameter's enum, integer range, boolean type or pattern. Only HTTP's own rules and the URL
 * limits of src/common/request-limits.ts are stated here; no route or parameter rule is.
 */
import { MAX_QUERY_PARAMETERS, MAX_URL_LENGTH } from '../../src/common/request-limits';

interface Schema {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
}
interface Parameter {
  name: string;
  in: string;
  schema?: Schema;
}
/** The part of an OpenAPI 3 document the oracle reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
}

/** The router's `maxParamLength` (src/app.setup.ts): a longer path parameter may get a 414. */
const MAX_PARAM_LENGTH = 200;
/** Node's limit on the request line and headers together (--max-http-header-size): 431 beyond. */
const MAX_HEADER_BYTES = 16 * 1024;

/** What the service must do with one request. */
export type Expectation =
  /** One of `statuses` (every rule the request breaks may be the one reported), and no GitHub request. */
  | { kind: 'reject'; statuses: number[]; reason: string }
  /**
   * Served by the operation at `template` (its path parameters in `params`): GitHub may be asked
   * only about them. `exact` is false when the document does not decide the status (a query part
   * that will not percent-decode may be read literally).
   */
  | {
      kind: 'serve';
      template: string;
      params: Record<string, string>;
      exact: boolean;
      reason: string;
    };

interface Route {
  template: string;
  segments: ({ literal: string } | { param: Parameter })[];
  methods: Set<string>;
  query: Map<string, Schema>;
  /** Declares no parameter at all: the service validates nothing and ignores a query. */
  bare: boolean;
}

export class HostileOracle {
  private readonly routes: Route[] = [];
  private readonly patterns = new Map<string, RegExp>();

  constructor(document: OpenApiDocument) {
    for (const [template, item] of Object.entries(document.paths)) {
      const parameters = Object.values(item).flatMap((operation) => operation.parameters ?? []);
      const byName = new Map(parameters.map((p) => [`${p.in}:${p.name}`, p]));
      const segments = template
        .split('/')
        .slice(1)
        .map((segment) => {
          const name = /^\{(.+)\}$/.exec(segment)?.[1];
          const param = name === undefined ? undefined : byName.get(`path:${name}`);
          if (name !== undefined && !param) {
            throw new Error(`${template}: {${name}} is not documented`);
          }
          return param ? { param } : { literal: segment };
        });
      const query = new Map(
        parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? {}]),
      );
      const methods = new Set(Object.keys(item).map((m) => m.toUpperCase()));
      if (methods.has('GET')) {
        methods.add('HEAD'); // RFC 9110 §9.3.2
      }
      const bare = !parameters.some((p) => p.in === 'path' || p.in === 'query');
      this.routes.push({ template, segments, methods, query, bare });
      for (const p of parameters) {
        if (p.schema?.pattern) {
          this.patterns.set(p.name, new RegExp(p.schema.pattern, 'u'));
        }
      }
    }
    // More literal segments first: `/health/ready` before a parameter in the same place.
    const literals = (r: Route): number => r.segments.filter((s) => 'literal' in s).length;
    this.routes.sort((a, b) => literals(b) - literals(a));
    for (const name of ['owner', 'repo']) {
      if (!this.patterns.has(name)) {
        throw new Error(`the document gives no pattern for {${name}}`);
      }
    }
  }

  /** A GitHub login, by the document's pattern for `{owner}`. */
  isLogin(value: string): boolean {
    return this.patterns.get('owner')!.test(value);
  }

  /** A GitHub repository name, by the document's pattern for `{repo}`. */
  isRepoName(value: string): boolean {
    return this.patterns.get('repo')!.test(value);
  }

  /**
   * The expectation for `method` and a raw request target (the bytes of the request line). A
   * target's path ends at the first `?` or `#` (RFC 3986); segments are split on raw `/` and only
   * then percent-decoded, so `%2F` is part of a parameter, never a separator.
   */
  expectationFor(method: string, target: string): Expectation {
    const lineEnd = target.search(/[\r\n]/);
    if (lineEnd >= 0) {
      // Node ends the request line at the first CR or LF (as HTTP/0.9) and reads the rest as
      // headers, or refuses it: the service may serve what precedes the break, nothing more.
      // What follows the break is read as header fields, and Node has refused a 12 kB such
      // target with 431 although a plain target of that length passes (seed 1452214630): from
      // half the header limit, 431 is as right an answer as 400.
      return this.loosened(
        method,
        target,
        target.slice(0, lineEnd),
        'request line cut at CR/LF',
        MAX_HEADER_BYTES / 2,
      );
    }
    const padded = /^[ \t]*(\S+)[ \t]*$/.exec(target);
    if (padded && padded[1] !== target) {
      // Spaces around the target read as extra separators in the request line: lenient, harmless.
      return this.loosened(method, target, padded[1], 'spaces around the target');
    }
    // With the few header lines sent, near or over Node's limit.
    const long: [number, string][] =
      target.length > MAX_HEADER_BYTES - 200 ? [[431, 'request line near or over 16 kB']] : [];
    if (/[^\x21-\x7e]/.test(target)) {
      return reject(
        [400, ...long.map(([st]) => st)],
        'bytes a request target may not hold (control, space, non-ASCII)',
      );
    }
    // Refusals of the onRequest hook, on any path (each may be the one reported).
    const refusals: [number, string][] = [...long];
    if (!['GET', 'HEAD', 'OPTIONS'].includes(method)) {
      refusals.push([405, `${method} on a read-only API`]);
    }
    if (target.length > MAX_URL_LENGTH) {
      refusals.push([414, `URL over ${MAX_URL_LENGTH} characters`]);
    }
    let origin = target;
    // Absolute form (RFC 9112 §3.2.2): the path is what follows the authority. An authority that
    // is not host[:port] may fairly be refused instead.
    let plainAuthority = true;
    const absolute = /^https?:\/\/([^/?#]*)/i.exec(origin);
    if (absolute) {
      origin = origin.slice(absolute[0].length);
      plainAuthority = /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(absolute[1]);
    }
    // A fragment has no place in a request target: served as if cut there, or refused.
    const exact = !origin.includes('#') && plainAuthority;
    const refused = (broken: [number, string][]): Expectation => {
      const all = [...refusals, ...broken];
      if (!exact) {
        all.push([400, 'a fragment, or an authority that is not host[:port]']);
      }
      return reject(
        all.map(([st]) => st),
        all.map(([, r]) => r).join('; '),
      );
    };
    if (!origin.startsWith('/')) {
      return refused([
        [400, 'not an origin-form target'],
        [404, 'not an origin-form target'],
      ]);
    }
    const cut = origin.search(/[?#]/);
    const path = cut < 0 ? origin : origin.slice(0, cut);
    const query = cut < 0 ? '' : origin.slice(cut + 1);
    if (query.split('&').length > MAX_QUERY_PARAMETERS) {
      refusals.push([400, `more than ${MAX_QUERY_PARAMETERS} query parameters`]);
    }
    const segments = path.split('/').slice(1);
    // The router decodes the whole path before it looks for a route: a malformed percent-encoding
    // in any segment refuses it (400), and a decoded segment too long for a parameter gives up on
    // it, whichever route it tries. Every segment is decoded: a long one before a malformed one
    // once hid the 400 (a POST to /github/repos/<203 a's>/%%.. got 400, "expected 405 or 414").
    let decoded: string[];
    try {
      decoded = segments.map((segment) => decodeURIComponent(segment));
    } catch {
      return refused([[400, 'malformed percent-encoding in the path']]);
    }
    if (decoded.some((segment) => segment.length > MAX_PARAM_LENGTH)) {
      refusals.push([414, `a path segment over ${MAX_PARAM_LENGTH} characters`]);
    }
    const routed = this.routeProblems(method, segments, query);
    if ('broken' in routed || refusals.length > 0) {
      return refused('broken' in routed ? routed.broken : []);
    }
    return routed.undecodableQuery
      ? { ...routed, kind: 'serve', exact: false, reason: 'undecodable query' }
      : { ...routed, kind: 'serve', exact, reason: 'valid' };
  }

  /**
   * The expectation for `kept`, what is left of `target`, served inexactly; Node may refuse the
   * rest (400, or 431 when it is long).
   */
  private loosened(
    method: string,
    target: string,
    kept: string,
    reason: string,
    longFrom = MAX_HEADER_BYTES - 200,
  ): Expectation {
    const inner = this.expectationFor(method, kept);
    const refusals = target.length > longFrom ? [400, 431] : [400];
    return inner.kind === 'reject'
      ? reject([...inner.statuses, ...refusals], `${inner.reason}; ${reason}`)
      : { ...inner, exact: false, reason };
  }

  /** The route and parameters a path and query reach, or every rule of the document they break. */
  private routeProblems(
    method: string,
    segments: string[],
    query: string,
  ):
    | { template: string; params: Record<string, string>; undecodableQuery: boolean }
    | { broken: [number, string][] } {
    const route = this.routes.find(
      (r) =>
        r.segments.length === segments.length &&
        r.segments.every((s, i) => ('literal' in s ? s.literal === segments[i] : true)),
    );
    if (!route) {
      return { broken: [[404, 'no such path in the document']] };
    }
    if (!route.methods.has(method)) {
      // OPTIONS passes the read-only hook (for CORS preflight) and then finds no operation.
      return { broken: [[method === 'OPTIONS' ? 404 : 405, `${method} is not documented`]] };
    }
    const broken: [number, string][] = [];
    const params: Record<string, string> = {};
    route.segments.forEach((s, i) => {
      if (!('param' in s)) {
        return;
      }
      const raw = segments[i];
      const { name, schema } = s.param;
      if (raw === '') {
        broken.push([404, `empty {${name}}`], [400, `empty {${name}}`]);
      }
      let value: string;
      try {
        value = decodeURIComponent(raw);
      } catch {
        broken.push([400, `malformed percent-encoding in {${name}}`]);
        return;
      }
      params[name] = value;
      const problem = schemaProblem(schema ?? {}, value);
      if (problem) {
        broken.push([400, `{${name}} ${JSON.stringify(value)}: ${problem}`]);
      }
    });
    const pairs = parseQuery(query);
    if (!route.bare) {
      if (route.query.size === 0 && query.split('&').some((part) => part !== '')) {
        broken.push([400, 'a query parameter on an operation that documents none']);
      } else if (pairs) {
        const seen = new Set<string>();
        for (const [key, value] of pairs) {
          const schema = route.query.get(key);
          const problem = !schema
            ? 'not a documented parameter'
            : seen.has(key)
              ? `repeated, but of type ${schema.type ?? 'string'}`
              : schemaProblem(schema, value);
          seen.add(key);
          if (problem) {
            broken.push([400, `query ${JSON.stringify(key)}=${JSON.stringify(value)}: ${problem}`]);
          }
        }
      }
    }
    return broken.length > 0
      ? { broken }
      : { template: route.template, params, undecodableQuery: !route.bare && !pairs };
  }
}

function reject(statuses: number[], reason: string): Expectation {
  return { kind: 'reject', statuses: [...new Set(statuses)].sort(), reason };
}

/** Why `value` (a string off the wire) does not satisfy `schema`, or undefined when it does. */
function schemaProblem(schema: Schema, value: string): string | undefined {
  if (schema.enum && !schema.enum.map(String).includes(value)) {
    return `not one of ${schema.enum.join(', ')}`;
  }
  if (schema.type === 'boolean' && value !== 'true' && value !== 'false') {
    return 'not a boolean';
  }
  if (schema.type === 'integer') {
    // Surrounding whitespace carries no meaning in a decimal integer.
    const trimmed = value.trim();
    if (!/^\d+$/.test(trimmed)) {
      return 'not an integer';
    }
    const n = Number(trimmed);
    if ((schema.minimum ?? -Infinity) > n || n > (schema.maximum ?? Infinity)) {
      return `outside ${schema.minimum ?? '-∞'}..${schema.maximum ?? '∞'}`;
    }
  }
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) {
    return `does not match ${schema.pattern}`;
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
    const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
    try {
      pairs.push([
        decode(eq < 0 ? part : part.slice(0, eq)),
        decode(eq < 0 ? '' : part.slice(eq + 1)),
      ]);
    } catch {
      return undefined;
    }
  }
  return pairs;
}

/** One GitHub request the fake received. */
export interface UpstreamCall {
  method: string;
  path: string;
}

/**
 * Why a GitHub request is not one of the routes the service means to call (GitHub's API, so these
 * are GitHub's paths) with names valid by the document's patterns, or undefined when it is.
 */
export function upstreamProblem(oracle: HostileOracle, call: UpstreamCall): string | undefined {
  if (call.method !== 'GET') {
    return `method ${call.method}`;
  }
  const [path, query = ''] = call.path.split(/\?(.*)/s);
  const [a, b, c, d, ...rest] = path.split('/').slice(1);
  const login = b !== undefined && oracle.isLogin(b);
  const id = b !== undefined && /^\d{1,12}$/.test(b);
  const list =
    rest.length === 0 &&
    d === undefined &&
    c === 'repos' &&
    (((a === 'users' || a === 'orgs') && login) || ((a === 'user' || a === 'organizations') && id));
  const ok =
    list ||
    (rest.length === 0 &&
      ((a === 'users' && login && c === undefined) ||
        (a === 'repos' &&
          login &&
          c !== undefined &&
          oracle.isRepoName(c) &&
          (d === undefined || d === 'languages')) ||
        (a === 'rate_limit' && b === undefined)));
  if (!ok) {
    return `not an intended GitHub route: ${call.path}`;
  }
  // sort/direction: lists are read by name, and past the ceiling by most recent push.
  const allowed =
    /^(per_page=\d{1,3}|page=\d{1,6}|type=(owner|public|all|member)|sort=(full_name|pushed)|direction=desc)$/;
  if (query !== '' && (!list || !query.split('&').every((part) => allowed.test(part)))) {
    return `unexpected query on a GitHub request: ${call.path}`;
  }
  return undefined;
}

/** The login a GitHub request is about (lower-cased), if its path names one. */
export function upstreamLogin(path: string): string | undefined {
  return /^\/(?:users|orgs|repos)\/([^/?]+)/.exec(path)?.[1].toLowerCase();
}

/** The repository a GitHub request is about (lower-cased), if any. */
export function upstreamRepo(path: string): string | undefined {
  return /^\/repos\/[^/?]+\/([^/?]+)/.exec(path)?.[1].toLowerCase();
}

/** What a hostile webhook delivery is, as far as the answer depends on it. */
export interface DeliveryFeatures {
  /** Whether X-Hub-Signature-256 is the HMAC of these exact bytes under the service's secret. */
  signedRight: boolean;
  bytes: number;
  hasDeliveryId: boolean;
  hasEvent: boolean;
  /** Whether the body parses as a JSON object. */
  jsonObject: boolean;
  /** Whether this delivery id was accepted before. */
  seenBefore: boolean;
}

/** GitHub's largest payload: anything over it is refused before its signature is looked at. */
export const WEBHOOK_MAX_BYTES = 25 * 1024 * 1024;

/**
 * The answer docs/webhooks.md promises for a delivery: 413 over 25 MB; 401 without the right
 * signature, whatever else is wrong; then 400 for missing headers or a body that is not a JSON
 * object; 202 otherwise (`duplicate` for an id seen before).
 */
export function expectedDelivery(
  features: DeliveryFeatures,
): { status: 413 | 401 | 400 } | { status: 202; outcome: 'accepted' | 'duplicate' } {
  if (features.bytes > WEBHOOK_MAX_BYTES) {
    return { status: 413 };
  }
  if (!features.signedRight) {
    return { status: 401 };
  }
  if (!features.hasDeliveryId || !features.hasEvent || !features.jsonObject) {
    return { status: 400 };
  }
  return { status: 202, outcome: features.seenBefore ? 'duplicate' : 'accepted' };
}
