/**
 * Part 3, hostile input: property-based (fast-check) usernames, repository names, query strings,
 * raw request targets and methods, sent as raw bytes. Never a 5xx, never a request left without
 * an answer, never a GitHub request for invalid input, never a GitHub request outside the
 * intended routes, never an injected response header; valid input gets the right answer.
 */
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { FakeGithub } from '../../test/fake-github';
import { pushPayload, sign } from '../../test/fake-github/webhook-sender';
import { get, json, raw, RawReply } from './http-client';
import {
  DeliveryFeatures,
  Expectation,
  expectedDelivery,
  HostileOracle,
  OpenApiDocument,
  upstreamLogin,
  upstreamProblem,
  upstreamRepo,
  WEBHOOK_MAX_BYTES,
} from './hostile-oracle';
import { App, healthOf, startApp, stopApp } from './processes';
import { bump, Checks, counts, figure, heading, show } from './report';
import { sendRequest } from '../shared/http-request';

interface HostileRequest {
  method: string;
  target: string;
  body?: string;
}

const USER = 'octocat';
const SMALL_USER = 'tiny';
const ORG = 'acme';
const SORTS = ['stars', 'forks', 'name', 'updated', 'pushed', 'created'];
const LIST_KEYS = ['sort', 'direction', 'language', 'includeForks', 'page', 'perPage'];

/** Pieces that have broken URL handling somewhere: separators, encodings, traversal, injection. */
// prettier-ignore
const DANGEROUS = [
  '..', '.', '/', '%2F', '%2f', '%5C', '\\', '%00', '\u0000', '?', '%3F', '#', '%23', '&', '=',
  '+', ';', ' ', '%20', '\t', '\r\n', '%0D%0A', '%0d%0aX-Evil:%201', '\r\nX-Evil: 1', '%', '%%',
  '%E9', '%C3%A9', '%F0%9F%98%80', 'é', '😀', '\uD800', '\u202E', '\u00A0', '<script>', "'", '"',
  '`', '$(id)', '-', '--', '_', '~', '@', ':', '[', ']', '[]', '{', '}', '|', '^', 'a', 'Z', '0',
  '9', 'octocat', 'OctoCat', 'acme', '%2e%2e', '%2E', '%252F', '..%2F', 'http://evil.example/',
  '//evil.example', 'constructor', '__proto__', 'toString', 'rate_limit', 'user', 'repos',
  'languages',
];

/** Pieces of whole request targets: our routes, GitHub's, separators and junk. */
// prettier-ignore
const TARGET_PIECES = [
  '/github', '/repos', '/users', '/orgs', '/summary', '/rate-limit', '/health', '/ready',
  '/metrics', '/', '//', '/..', '/.', '/octocat', '/acme', '/OctoCat', '/tiny', 'octocat', '?',
  '#', '&', '=', 'sort=name', 'page=2', 'perPage=100', 'language=none', '%2F', '%2e%2e', '%00',
  '%', '%E9', '\r\n', ' ', 'é', '\\', ';', '@', 'http://evil.example', '%0d%0aX-Evil:%201',
  'languages', '/languages', '%3F', '%23', '/user', '/rate_limit',
];

/** Repository names at the edges of the rule. */
// prettier-ignore
const ODD_REPO_NAMES = [
  '.', '..', '...', '.git', 'a..b', '%2e%2e', '%2E', '.%2e', '_', '-', 'x'.repeat(100),
  'x'.repeat(101),
];
/** Query keys that break naive parsers: arrays, prototype names, near-misses. */
// prettier-ignore
const ODD_KEYS = [
  'page[]', 'page[0]', 'sort[]', 'language[]', '__proto__', 'constructor', 'toString',
  'hasOwnProperty', '', 'x', 'per_page', 'SORT', 'perpage', '__proto__[polluted]',
  'constructor[prototype][polluted]',
];
/** Query values at the edges of the integer, boolean and enum rules. */
// prettier-ignore
const ODD_VALUES = [
  '', ' ', '0', '-1', '101', '1e2', '0x10', '1.5', '\uFF11', '100000', '100001', ' 5 ', '+7',
  'true ', 'TRUE', 'null', 'undefined', '[]', '{}', 'none', 'NONE',
];

type Encoding = 'encoded' | 'raw' | 'double' | 'all';

/** Percent-encodes the UTF-8 bytes of `value`: all of them, or all but the unreserved ones. */
function percentEncode(value: string, everything = false): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out +=
      !everything && /[A-Za-z0-9\-._~]/.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function encode(value: string, encoding: Encoding): string {
  switch (encoding) {
    case 'raw':
      return value;
    case 'encoded':
      return percentEncode(value);
    case 'double':
      return percentEncode(percentEncode(value));
    case 'all':
      return percentEncode(value, true);
  }
}

const encodingArb = fc.constantFrom<Encoding>('encoded', 'encoded', 'raw', 'raw', 'double', 'all');
const validLoginArb = fc.stringMatching(/^[A-Za-z0-9]{1,12}(-[A-Za-z0-9]{1,12}){0,2}$/);
const knownLoginArb = fc.constantFrom(USER, 'OctoCat', 'OCTOCAT', ORG, 'Acme', SMALL_USER);
const longArb = fc
  .record({
    piece: fc.constantFrom('a', '%2F', 'é', '-', '9', '%', '..'),
    length: fc.integer({ min: 40, max: 10_240 }),
  })
  .map(({ piece, length }) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));
const hostileTextArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(fc.constantFrom(...DANGEROUS), { minLength: 1, maxLength: 8 })
      .map((a) => a.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }) },
  { weight: 3, arbitrary: validLoginArb },
  { weight: 1, arbitrary: knownLoginArb },
  { weight: 1, arbitrary: longArb },
  // Both sides of the documented lengths: 39 for a login, 100 for a repository name.
  { weight: 1, arbitrary: fc.constantFrom(38, 39, 40, 41, 99, 100, 101).map((n) => 'x'.repeat(n)) },
);
const methodArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant('GET') },
  { weight: 2, arbitrary: fc.constant('HEAD') },
  { weight: 3, arbitrary: fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE') },
);

function withBody(method: string, target: string): HostileRequest {
  return ['POST', 'PUT', 'PATCH'].includes(method)
    ? { method, target, body: '{"login":"octocat"}' }
    : { method, target };
}

export async function hostilePart(
  checks: Checks,
  numRuns: number,
  seed: number | undefined,
): Promise<void> {
  heading(`3. hostile input: fast-check, ${numRuns} runs per property, raw bytes on the wire`);
  const runSeed = seed ?? Math.floor(Math.random() * 2 ** 31);
  const fake = await FakeGithub.start({ rateLimit: { limit: 10_000_000 } });
  let app: App | undefined;
  try {
    fake.addUser(USER, 150);
    fake.addUser(SMALL_USER, 2);
    fake.addOrg(ORG, 120);
    const knownRepos = fake
      .reposOf(USER)
      .slice(0, 3)
      .map((r) => r.name);
    app = await startApp('hostile', fake.url, { CACHE_TTL_SECONDS: '3600' });
    const appUrl = app.url;
    const appPort = app.port;
    const docs = await get(`${appUrl}/docs-json`);
    const oracle = new HostileOracle(json(docs.body) as OpenApiDocument);
    const warm = await Promise.all(
      [
        `/github/repos/${USER}`,
        `/github/users/${USER}`,
        `/github/users/${USER}/summary`,
        `/github/orgs/${ORG}/repos`,
        `/github/users/${ORG}`,
        `/github/repos/${USER}/${knownRepos[0]}`,
      ].map((path) => get(appUrl + path).then((r) => r.status)),
    );
    checks.check(
      'hostile: known accounts cached first',
      warm.every((s) => s === 200),
      warm.join(' '),
    );

    const statuses: Record<string, number> = {};
    const notProblem: Record<string, number> = {};
    const notProblemExamples: string[] = [];
    const perProperty: Record<string, number> = {};
    let tried = 0;

    /** The status the fake's accounts call for, on a request the document calls valid. */
    const expectedStatus = ({ template, params }: Expectation & { kind: 'serve' }): number => {
      const login = (params.username ?? params.org ?? params.owner)?.toLowerCase();
      if (login === undefined) {
        return 200;
      }
      if (params.org !== undefined) {
        return login === ORG ? 200 : 404;
      }
      const known = login === USER || login === ORG || login === SMALL_USER;
      const repo = params.repo?.toLowerCase();
      return known &&
        (repo === undefined || fake.reposOf(login).some((r) => r.name.toLowerCase() === repo))
        ? 200
        : 404;
    };

    /** Waits until the fake has answered everything and nothing new arrives for a moment. */
    const settle = async (): Promise<void> => {
      let last = -1;
      for (let i = 0; i < 100; i++) {
        const pending = fake.requests.some((r) => r.status === undefined);
        if (!pending && fake.requests.length === last) {
          return;
        }
        last = fake.requests.length;
        await sleep(8);
      }
    };

    /** Sends one request and lists everything wrong with how the service handled it. */
    const exercise = async (property: string, request: HostileRequest): Promise<string[]> => {
      const before = fake.requests.length;
      const reply: RawReply = await raw(appPort, { ...request, timeoutMs: 8_000 });
      tried++;
      bump(perProperty, property);
      const expectation = oracle.expectationFor(request.method, request.target);
      if (expectation.kind === 'serve' || fake.requests.length > before) {
        await settle();
      }
      const calls = fake.requests.slice(before);
      bump(statuses, reply.status);
      const problems: string[] = [];
      if (reply.status === 0) {
        problems.push(`no answer (${reply.error ?? 'unknown'})`);
      } else if (reply.status >= 500) {
        problems.push(`HTTP ${reply.status}: ${show(reply.body, 200)}`);
      }
      if (/^x-evil\s*:/im.test(reply.head)) {
        problems.push('a header injected through the URL came back in the response');
      }
      for (const call of calls) {
        const wrong = upstreamProblem(oracle, call);
        if (wrong) {
          problems.push(wrong);
        }
      }
      if (expectation.kind === 'reject') {
        if (reply.status !== 0 && !expectation.statuses.includes(reply.status)) {
          problems.push(
            `expected ${expectation.statuses.join(' or ')} (${expectation.reason}), got ${reply.status}`,
          );
        }
        if (calls.length > 0) {
          problems.push(
            `GitHub was asked ${calls.map((c) => c.path).join(', ')} for invalid input (${expectation.reason})`,
          );
        }
      } else {
        const status = expectedStatus(expectation);
        if (expectation.exact && reply.status !== status) {
          problems.push(
            `expected ${status} for valid input (${expectation.template}), got ${reply.status}: ${show(reply.body, 200)}`,
          );
        }
        const { params } = expectation;
        const login = (params.username ?? params.org ?? params.owner)?.toLowerCase();
        for (const call of calls) {
          const about = upstreamLogin(call.path);
          if (about !== undefined && about !== login) {
            problems.push(
              `GitHub was asked about ${about} (${call.path}) for a request about ${String(login)}`,
            );
          }
          const repo = upstreamRepo(call.path);
          if (repo !== undefined && repo !== params.repo?.toLowerCase()) {
            problems.push(`GitHub was asked about repository ${repo} for ${String(params.repo)}`);
          }
        }
        if (request.method === 'HEAD' && reply.body.length > 0) {
          problems.push('HEAD answered with a body');
        }
      }
      if (
        reply.status >= 400 &&
        !(reply.headers['content-type'] ?? '').startsWith('application/problem+json')
      ) {
        bump(notProblem, reply.status);
        if (notProblemExamples.length < 4) {
          notProblemExamples.push(
            `${request.method} ${show(request.target, 60)} → ${reply.status} ${reply.headers['content-type'] ?? '(no content-type)'} ${show(reply.body, 90)}`,
          );
        }
      }
      return problems;
    };

    const runProperty = async <T>(
      key: string,
      name: string,
      arbitrary: fc.Arbitrary<T>,
      toRequest: (input: T) => HostileRequest,
    ): Promise<void> => {
      const details = await fc.check(
        fc.asyncProperty(arbitrary, async (input) => {
          const problems = await exercise(key, toRequest(input));
          if (problems.length > 0) {
            throw new Error(problems.join('; '));
          }
        }),
        { numRuns, seed: runSeed, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true },
      );
      const counterexample = details.counterexample?.[0];
      const request = counterexample === undefined ? undefined : toRequest(counterexample);
      const error =
        details.errorInstance instanceof Error ? details.errorInstance.message : 'no error message';
      checks.check(
        `hostile: ${name}`,
        !details.failed,
        details.failed
          ? details.interrupted && !request
            ? `interrupted after ${details.numRuns} runs (time limit)`
            : `${request?.method} ${show(request?.target, 200)} → ${error.slice(0, 600)} (shrunk ${details.numShrinks} times; replay with RELIABILITY_SEED=${details.seed})`
          : `${details.numRuns} inputs`,
      );
    };

    const pathParamArb = fc.record({
      route: fc.constantFrom('user-repos', 'profile', 'summary', 'org-repos'),
      value: hostileTextArb,
      encoding: encodingArb,
      method: methodArb,
    });
    await runProperty(
      'usernames',
      'usernames in every route: never a 5xx, no GitHub call for an invalid login, only intended GitHub routes',
      pathParamArb,
      ({ route, value, encoding, method }) => {
        const segment = encode(value, encoding);
        const target =
          route === 'user-repos'
            ? `/github/repos/${segment}`
            : route === 'org-repos'
              ? `/github/orgs/${segment}/repos`
              : `/github/users/${segment}${route === 'summary' ? '/summary' : ''}`;
        return withBody(method, target);
      },
    );

    const repoNameArb = fc.oneof(
      {
        weight: 2,
        arbitrary: fc.constantFrom(...knownRepos, ...knownRepos.map((n) => n.toUpperCase())),
      },
      { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(...ODD_REPO_NAMES),
      },
      { weight: 4, arbitrary: hostileTextArb },
    );
    await runProperty(
      'repo names',
      'repository names: never a 5xx, no GitHub call for an invalid name, only intended GitHub routes',
      fc.record({
        owner: fc.oneof(knownLoginArb, validLoginArb, hostileTextArb),
        repo: repoNameArb,
        ownerEncoding: encodingArb,
        repoEncoding: encodingArb,
        suffix: fc.constantFrom('', '', '', '/', '/languages', '?', '?x=1', '#', '/..', '%2F..'),
        method: methodArb,
      }),
      ({ owner, repo, ownerEncoding, repoEncoding, suffix, method }) =>
        withBody(
          method,
          `/github/repos/${encode(owner, ownerEncoding)}/${encode(repo, repoEncoding)}${suffix}`,
        ),
    );

    const validPairArb = fc.oneof(
      fc.tuple(fc.constant('sort'), fc.constantFrom(...SORTS)),
      fc.tuple(fc.constant('direction'), fc.constantFrom('asc', 'desc')),
      fc.tuple(fc.constant('perPage'), fc.integer({ min: 1, max: 100 }).map(String)),
      fc.tuple(fc.constant('page'), fc.integer({ min: 1, max: 8 }).map(String)),
      fc.tuple(fc.constant('includeForks'), fc.constantFrom('true', 'false')),
      fc.tuple(
        fc.constant('language'),
        fc.constantFrom('TypeScript', 'go', 'none', 'C++', 'Rust', 'Jupyter Notebook'),
      ),
    );
    const hostileKeyArb = fc.oneof(
      fc.constantFrom(...LIST_KEYS),
      fc.constantFrom(...ODD_KEYS),
      hostileTextArb,
    );
    const hostileValueArb = fc.oneof(hostileTextArb, fc.constantFrom(...ODD_VALUES), longArb);
    const pairArb = fc.record({
      pair: fc.oneof(
        { weight: 3, arbitrary: validPairArb },
        { weight: 2, arbitrary: fc.tuple(hostileKeyArb, hostileValueArb) },
      ),
      encoding: fc.constantFrom<Encoding>('encoded', 'encoded', 'raw', 'all'),
    });
    await runProperty(
      'queries',
      'query strings (repeated, arrays, 10 kB values, >20 parameters): never a 5xx, no GitHub call, right status',
      fc.record({
        route: fc.constantFrom(
          'user-repos',
          'user-repos',
          'user-repos',
          'org-repos',
          'profile',
          'summary',
          'repo',
        ),
        pairs: fc.array(pairArb, { maxLength: 25 }),
        bare: fc.boolean(),
        trailing: fc.constantFrom('', '', '&', '#', '#frag', '&&'),
        method: methodArb,
      }),
      ({ route, pairs, bare, trailing, method }) => {
        const base = {
          'user-repos': `/github/repos/${USER}`,
          'org-repos': `/github/orgs/${ORG}/repos`,
          profile: `/github/users/${USER}`,
          summary: `/github/users/${USER}/summary`,
          repo: `/github/repos/${USER}/${knownRepos[0]}`,
        }[route];
        const query = pairs
          .map(
            ({ pair: [key, value], encoding }) =>
              `${encode(key, encoding)}=${encode(value, encoding)}`,
          )
          .join('&');
        return withBody(method, `${base}${query || bare ? '?' : ''}${query}${trailing}`);
      },
    );

    await runProperty(
      'raw targets',
      'raw request targets (absolute form, traversal, separators, CRLF): never a 5xx, only intended GitHub routes',
      fc.record({
        prefix: fc.constantFrom('', '', '', 'http://evil.example', 'HTTP://127.0.0.1:1', '*', '//'),
        pieces: fc.array(fc.constantFrom(...TARGET_PIECES, ...knownRepos.map((n) => `/${n}`)), {
          minLength: 1,
          maxLength: 10,
        }),
        method: methodArb,
      }),
      ({ prefix, pieces, method }) => withBody(method, prefix + pieces.join('')),
    );

    // Nothing above may have changed how the service answers (prototype pollution, poisoned caches).
    const after = await get(`${appUrl}/github/repos/${USER}?sort=name&perPage=3`);
    const afterBody = json(after.body) as { username?: string; total?: number } | undefined;
    checks.check(
      'hostile: afterwards the service answers a normal request normally (no pollution, no poisoned cache)',
      after.status === 200 &&
        afterBody?.username === USER &&
        afterBody.total === 150 &&
        !after.body.includes('polluted'),
      `HTTP ${after.status}, ${show(after.body, 120)}`,
    );
    const health = await healthOf(app);
    checks.check(
      'hostile: the app is alive and /health answers 200',
      health === 200,
      `/health ${health}`,
    );
    const wrongCalls = fake.requests
      .map((call) => upstreamProblem(oracle, call))
      .filter((p): p is string => p !== undefined);
    checks.check(
      'hostile: every GitHub request of the whole part was an intended route with valid names',
      wrongCalls.length === 0,
      wrongCalls.length === 0
        ? `${fake.requests.length} GitHub requests`
        : wrongCalls.slice(0, 5).join(' | '),
    );
    const notProblemTotal = Object.values(notProblem).reduce((a, b) => a + b, 0);
    checks.check(
      'hostile: every error answer is application/problem+json (README: "Every error is application/problem+json")',
      notProblemTotal === 0,
      notProblemTotal === 0
        ? undefined
        : `${notProblemTotal} were not (${counts(notProblem)}): requests Node's HTTP parser refuses (raw ` +
            `non-ASCII or control bytes, unknown methods, request lines over 16 kB) are answered by ` +
            `Fastify's default clientErrorHandler, which src/app.setup.ts (new FastifyAdapter({...}), ` +
            `line ~26) does not replace. E.g.\n${notProblemExamples.join('\n')}`,
    );
    checks.headline(
      `hostile: ${tried} inputs tried (${numRuns} runs per property, seed ${runSeed}), ${notProblemTotal} error answers not problem+json`,
    );
    figure('hostile inputs tried', `${tried} (${counts(perProperty)}; shrinking included)`);
    figure('statuses', counts(statuses));
    figure('GitHub requests caused', fake.requests.length);
    figure('fast-check seed', `${runSeed} (RELIABILITY_SEED to replay)`);
    await hostileDeliveries(checks, fake, numRuns, runSeed, knownRepos[0]);
  } finally {
    await stopApp(app);
    await fake.close();
  }
}

const WEBHOOK_SECRET = 'reliability-webhook-secret-0123456789abcdef';

/**
 * Hostile webhook deliveries, on an app of their own (GITHUB_WEBHOOK_SECRET set, history in the
 * embedded store in memory): forged (no signature, wrong secret, another body's, malformed
 * signatures), malformed (signed bodies that are not a JSON object, headers missing), replayed
 * (one delivery id sent many times at once) and oversized (over 25 MB). Each answer is the one
 * docs/webhooks.md promises (hostile-oracle.ts `expectedDelivery`), and none but the valid ones
 * has an effect: a cached repository answer stays cached (no GitHub request) until a valid push.
 */
async function hostileDeliveries(
  checks: Checks,
  fake: FakeGithub,
  numRuns: number,
  seed: number,
  repoName: string,
): Promise<void> {
  const app = await startApp('hostile-webhooks', fake.url, {
    CACHE_TTL_SECONDS: '3600',
    HISTORY_ENABLED: 'true',
    DATA_DIR: 'memory://',
    GITHUB_WEBHOOK_SECRET: `${WEBHOOK_SECRET},an-old-secret-being-rotated`,
  });
  try {
    const repoPath = `/github/repos/${USER}/${repoName}`;
    const fullName = `${USER}/${repoName}`;
    await get(app.url + repoPath);
    /** GitHub requests a read of the cached repository causes: 0 while nothing dropped it. */
    const readCost = async (): Promise<number> => {
      const before = fake.requests.length;
      await get(app.url + repoPath);
      return fake.requests.length - before;
    };
    const send = async (headers: Record<string, string>, body: Buffer) => {
      // node:http rather than fetch: a 413 comes before a 25 MB body is read, and the connection
      // close that follows made fetch throw instead of giving the answer. A body over the limit
      // is declared whole but only its first 64 kB sent: the server must refuse it from its
      // Content-Length, and a full upload raced its close (EPIPE before the answer was read).
      const oversized = body.length > WEBHOOK_MAX_BYTES;
      const reply = await sendRequest(`${app.url}/webhooks/github`, {
        method: 'POST',
        headers,
        body: oversized ? body.subarray(0, 64 * 1024) : body,
        ...(oversized ? { declaredLength: body.length, timeoutMs: 15_000 } : {}),
      });
      return {
        status: reply.status,
        contentType: String(reply.headers['content-type'] ?? ''),
        outcome: (json(reply.body.toString('utf8')) as { status?: string } | undefined)?.status,
      };
    };
    const accepted = new Set<string>();
    const wrong: string[] = [];
    const statuses: Record<string, number> = {};
    const deliver = async (
      label: string,
      features: Omit<DeliveryFeatures, 'seenBefore' | 'bytes'>,
      headers: Record<string, string>,
      body: Buffer,
    ): Promise<void> => {
      const id = headers['x-github-delivery'];
      const expected = expectedDelivery({
        ...features,
        bytes: body.length,
        seenBefore: id !== undefined && accepted.has(id),
      });
      const answer = await send(headers, body);
      bump(statuses, answer.status);
      if (answer.status === 202 && id !== undefined) {
        accepted.add(id);
      }
      const right =
        answer.status === expected.status &&
        (expected.status !== 202 || answer.outcome === expected.outcome) &&
        (answer.status < 400 || answer.contentType.startsWith('application/problem+json'));
      if (!right && wrong.length < 5) {
        wrong.push(
          `${label}: expected ${expected.status}${'outcome' in expected ? ` ${expected.outcome}` : ''}, got ${answer.status} ${answer.outcome ?? ''} ${answer.contentType}`,
        );
      }
    };
    const headersFor = (
      body: Buffer,
      options: { signature?: string | null; id?: string | null; event?: string | null } = {},
    ): Record<string, string> => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const signature =
        options.signature === undefined ? sign(WEBHOOK_SECRET, body) : options.signature;
      if (signature !== null) {
        headers['x-hub-signature-256'] = signature;
      }
      const id = options.id === undefined ? randomUUID() : options.id;
      if (id !== null) {
        headers['x-github-delivery'] = id;
      }
      const event = options.event === undefined ? 'push' : options.event;
      if (event !== null) {
        headers['x-github-event'] = event;
      }
      return headers;
    };
    const push = Buffer.from(JSON.stringify(pushPayload(fullName)));
    // The embedded store opens in the background: until it does, signed deliveries get 503.
    let ready = 0;
    for (let i = 0; i < 300 && ready !== 202; i++) {
      const hello = Buffer.from('{"zen":"ready?"}');
      ready = (await send(headersFor(hello, { event: 'ping' }), hello)).status;
      if (ready !== 202) {
        await sleep(200);
      }
    }

    // Forged: every way of not having the right signature, on pushes that would drop the cache.
    const forgeryArb = fc.oneof(
      fc.constant<string | null>(null),
      fc.constant(''),
      fc
        .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })
        .map((hex) => `sha256=${hex}`),
      fc.string({ maxLength: 80 }).map((other) => sign(other || 'x', push)),
      fc.string({ maxLength: 80 }).map((other) => sign(WEBHOOK_SECRET, Buffer.from(other || 'x'))),
      fc.constant(sign(WEBHOOK_SECRET, push).toUpperCase()),
      fc.constant(sign(WEBHOOK_SECRET, push).slice(0, 40)),
      fc.constant(sign(WEBHOOK_SECRET, push).replace('sha256=', 'sha1=')),
      fc.string({ maxLength: 200 }).filter((text) => /^[\x20-\x7e]*$/.test(text)),
    );
    await fc.assert(
      fc.asyncProperty(
        forgeryArb,
        fc.constantFrom('push', 'star', 'repository', 'ping'),
        async (signature, event) => {
          await deliver(
            'forged',
            { signedRight: false, hasDeliveryId: true, hasEvent: true, jsonObject: true },
            headersFor(push, { signature, event }),
            push,
          );
        },
      ),
      { numRuns: Math.max(20, Math.ceil(numRuns / 3)), seed },
    );
    const forgedCost = await readCost();

    // Malformed: correctly signed bytes that are not a JSON object, or headers missing.
    const malformedArb = fc.oneof(
      fc.string({ maxLength: 300 }).filter((text) => {
        try {
          const value: unknown = JSON.parse(text);
          return typeof value !== 'object' || value === null || Array.isArray(value);
        } catch {
          return true;
        }
      }),
      fc.constantFrom('[]', 'null', '"push"', '42', '{"a":', '{"a":1}}', '\ufeff{}', '{'),
    );
    await fc.assert(
      fc.asyncProperty(malformedArb, async (text) => {
        const body = Buffer.from(text);
        if (body.length === 0) {
          return;
        }
        await deliver(
          'malformed',
          { signedRight: true, hasDeliveryId: true, hasEvent: true, jsonObject: false },
          headersFor(body),
          body,
        );
      }),
      { numRuns: Math.max(20, Math.ceil(numRuns / 3)), seed },
    );
    for (const missing of ['id', 'event'] as const) {
      await deliver(
        `without ${missing}`,
        {
          signedRight: true,
          hasDeliveryId: missing !== 'id',
          hasEvent: missing !== 'event',
          jsonObject: true,
        },
        headersFor(push, { [missing]: null }),
        push,
      );
    }
    // Oversized: over 25 MB, signed right or not; GitHub sends nothing that large.
    const huge = Buffer.alloc(25 * 1024 * 1024 + 1, 0x20);
    await deliver(
      'oversized',
      { signedRight: true, hasDeliveryId: true, hasEvent: true, jsonObject: false },
      headersFor(huge),
      huge,
    );
    await deliver(
      'oversized unsigned',
      { signedRight: false, hasDeliveryId: true, hasEvent: true, jsonObject: false },
      headersFor(huge, { signature: null }),
      huge,
    );
    const refusedCost = await readCost();

    // Replayed: one real ping, sent 20 times at once and 5 times after: accepted once.
    const ping = Buffer.from('{"zen":"Practicality beats purity.","hook_id":1}');
    const pingHeaders = headersFor(ping, { event: 'ping' });
    const replays = await Promise.all(Array.from({ length: 20 }, () => send(pingHeaders, ping)));
    for (let i = 0; i < 5; i++) {
      replays.push(await send(pingHeaders, ping));
    }
    const replayOutcomes: Record<string, number> = {};
    for (const answer of replays) {
      bump(replayOutcomes, `${answer.status} ${answer.outcome ?? ''}`.trim());
    }

    // And one valid push: now the cached answer is dropped and refetched.
    await deliver(
      'valid push',
      { signedRight: true, hasDeliveryId: true, hasEvent: true, jsonObject: true },
      headersFor(push),
      push,
    );
    let pushCost = 0;
    for (let i = 0; i < 40 && pushCost === 0; i++) {
      await sleep(50);
      pushCost = await readCost();
    }

    checks.check(
      'hostile webhooks: forged, malformed, header-less and oversized deliveries get 401 / 400 / 413 problems as documented',
      wrong.length === 0,
      wrong.length === 0 ? counts(statuses) : wrong.join(' | '),
    );
    checks.check(
      'hostile webhooks: none of them drops a cached answer (no GitHub request on the next read)',
      forgedCost === 0 && refusedCost === 0,
      `after forgeries ${forgedCost}, after malformed and oversized ${refusedCost} GitHub requests`,
    );
    checks.check(
      'hostile webhooks: a delivery replayed 25 times (20 at once) is accepted once, the rest 2xx duplicates',
      replayOutcomes['202 accepted'] === 1 && replayOutcomes['202 duplicate'] === 24,
      counts(replayOutcomes),
    );
    checks.check(
      'hostile webhooks: one valid push then drops the cached answer (the next read asks GitHub)',
      pushCost > 0,
      `${pushCost} GitHub requests on the read after it`,
    );
    const health = await healthOf(app);
    checks.check(
      'hostile webhooks: the app is alive and /health answers 200',
      health === 200,
      `/health ${health}`,
    );
    figure('hostile deliveries', counts(statuses));
  } finally {
    await stopApp(app);
  }
}
