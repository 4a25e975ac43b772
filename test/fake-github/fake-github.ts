import type { components } from '@octokit/openapi-types';
import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Accounts } from './accounts';
import { FailurePlan, FailurePlans } from './failure-plans';
import { apiVersionOf, apiVersionShape, DEFAULT_API_VERSION } from './api-versions';
import {
  replyNotFound,
  replyPrimaryRateLimited,
  replyUnsupportedApiVersion,
  replyWithFailure,
} from './failure-replies';
import { FakeAppOptions, FakeGithubApp } from './github-app';
import { GithubAccountJson, GithubRepoJson } from './github-json';
import { commonHeaders, etagOf, isNotModified, send, sendJson } from './http-reply';
import { RateLimitBudgets, RateLimitSetting, RateLimitState } from './rate-limit-budgets';
import { orderRepos } from './repo-order';
import { answer } from './routes';
import { StargazerOptions, Stargazers } from './stargazers';

export interface FakeGithubOptions {
  /** Default 127.0.0.1: never exposed beyond the machine unless asked. */
  host?: string;
  /** Default 0: a free port chosen by the OS. */
  port?: number;
  /** Delay before every answer, failures included; default 0. */
  latencyMs?: number;
  /**
   * The origin put in `Link` headers. Default: from the request's `Host` header, so links work
   * whether the fake is reached as 127.0.0.1, localhost or a container name.
   */
  publicUrl?: string;
  /** Starting budget for every caller instead of GitHub's 60 (anonymous) / 5,000 (token). */
  rateLimit?: Omit<RateLimitSetting, 'authorization'>;
  /** Default true; false keeps `requests` empty (a long benchmark would otherwise fill memory). */
  recordRequests?: boolean;
}

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** Path with its query string, exactly as sent. */
  path: string;
  /** Lower-cased names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** Epoch milliseconds when it arrived. */
  receivedAt: number;
  /** The status the fake answered with; undefined while unanswered (or never: `hang`, `reset`). */
  status?: number;
}

/**
 * A stand-in for api.github.com: a real HTTP server on 127.0.0.1 that answers like GitHub
 * (pagination and `Link` headers, ETags and 304s, rate-limit headers and budgets, GitHub's error
 * bodies) and can be told to fail in each way GitHub does. It writes nothing to stdout.
 *
 * ```ts
 * const gh = await FakeGithub.start();
 * const repos = gh.addUser('octocat', 250);       // deterministic generated repositories
 * gh.failNext({ pathPrefix: '/user/', mode: 'server-error' });
 * // ... point the service at gh.url ...
 * expect(gh.countRequests('/users/octocat/repos')).toBe(1);
 * await gh.close();
 * ```
 */
export class FakeGithub {
  /** Every request received since start or the last `reset()`, in arrival order. */
  readonly requests: RecordedRequest[] = [];

  private readonly accounts = new Accounts();
  private readonly stargazers = new Stargazers();
  private readonly failures = new FailurePlans();
  private readonly budgets: RateLimitBudgets;
  /** The GitHub App `/app/...` answers for, once a test has set one up. */
  private app: FakeGithubApp | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private latencyMs: number;
  private baseUrl = '';

  private constructor(
    // scripts/bench/upstream-meter.ts listens on this server to count answers by status: keep the name.
    private readonly server: Server,
    private readonly options: FakeGithubOptions,
  ) {
    this.latencyMs = options.latencyMs ?? 0;
    this.budgets = new RateLimitBudgets(options.rateLimit);
  }

  static async start(options: FakeGithubOptions = {}): Promise<FakeGithub> {
    const server = createServer();
    const fake = new FakeGithub(server, options);
    server.on('request', (req, res) => fake.handle(req, res));
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    fake.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return fake;
  }

  /** `http://127.0.0.1:PORT`, to use as `GITHUB_API_URL`. */
  get url(): string {
    return this.baseUrl;
  }

  /**
   * Adds (or replaces) a user with `repos` generated repositories (deterministic for a login) or
   * exactly the given ones, in GitHub's JSON shape. Returns the repositories.
   */
  addUser(login: string, repos: number | GithubRepoJson[] = 0): GithubRepoJson[] {
    return this.accounts.add(login, 'User', repos);
  }

  /** Adds (or replaces) an organisation, served by `/orgs/:org/repos` and `/users/:org`. */
  addOrg(login: string, repos: number | GithubRepoJson[] = 0): GithubRepoJson[] {
    return this.accounts.add(login, 'Organization', repos);
  }

  /** The repositories the fake holds for a login, in the order they were added. */
  reposOf(login: string): GithubRepoJson[] {
    const account = this.accounts.findByLogin(login);
    if (!account) {
      throw new Error(`FakeGithub has no account ${login}`);
    }
    return account.repos;
  }

  /**
   * The repositories in the order the fake lists them for a query such as `sort=pushed&direction=desc`
   * (as `/users/:login/repos` does, or `/orgs/:org/repos` for an organisation), all pages together.
   */
  listedReposOf(login: string, query = ''): readonly GithubRepoJson[] {
    const account = this.accounts.findByLogin(login);
    if (!account) {
      throw new Error(`FakeGithub has no account ${login}`);
    }
    const defaultSort = account.profile.type === 'Organization' ? 'created' : 'full_name';
    return orderRepos(account.repos, new URLSearchParams(query), defaultSort);
  }

  /** The profile JSON `GET /users/:login` answers with. */
  profileOf(login: string): GithubAccountJson {
    const account = this.accounts.findByLogin(login);
    if (!account) {
      throw new Error(`FakeGithub has no account ${login}`);
    }
    return account.profile;
  }

  /**
   * Gives an existing repository (`'owner/name'`, case-insensitive) its stargazers, oldest first,
   * and sets its `stargazers_count` (and `watchers_count`) to their number. Only `collaborators`
   * (bare tokens: `'ghp_owner'`) may list them; everyone else gets a 403, or an empty list with
   * `restriction: 'empty'`. A repository never given stargazers is listable by nobody. Throws for
   * a repository the fake does not hold (add its account first); replacing the account forgets
   * the list.
   */
  setStargazers(fullName: string, options: StargazerOptions): void {
    const [owner = '', name = ''] = fullName.split('/');
    const repo = this.accounts.findRepo(owner, name);
    if (!repo) {
      throw new Error(`FakeGithub has no repository ${fullName}: add its account first`);
    }
    this.stargazers.set(repo, options);
  }

  /** Requests whose path (query included) starts with `pathPrefix`, or all of them. */
  countRequests(pathPrefix = ''): number {
    return this.requests.filter((request) => request.path.startsWith(pathPrefix)).length;
  }

  /** Makes the next matching request(s) fail; plans are used in the order they were made. */
  failNext(plan: FailurePlan): void {
    this.failures.add(plan);
  }

  /**
   * Makes the fake know a GitHub App (its public key, installations, token lifetime): `/app/...`
   * then takes its JWTs and sells its installation tokens. Returns it, to count and inspect.
   */
  setApp(options: FakeAppOptions): FakeGithubApp {
    this.app = new FakeGithubApp(options, this.budgets);
    return this.app;
  }

  /** Sets primary rate-limit budgets; see {@link RateLimitSetting} for whose. */
  setRateLimit(setting: RateLimitSetting): void {
    this.budgets.set(setting);
  }

  /** A caller's current budget: pass the `Authorization` header value, or nothing for anonymous. */
  rateLimitOf(authorization?: string): RateLimitState {
    return { ...this.budgets.peek(authorization) };
  }

  setLatency(latencyMs: number): void {
    this.latencyMs = latencyMs;
  }

  /** Forgets recorded requests and pending failure plans; accounts and budgets stay. */
  reset(): void {
    this.requests.length = 0;
    this.failures.clear();
  }

  /** Stops listening and destroys every connection, hanging ones included, so Jest can exit. */
  async close(): Promise<void> {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.options.recordRequests !== false) {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        receivedAt: Date.now(),
      };
      this.requests.push(recorded);
      res.once('finish', () => (recorded.status = res.statusCode));
    }
    if (this.latencyMs <= 0) {
      this.respond(req, res);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.respond(req, res);
    }, this.latencyMs);
    this.timers.add(timer);
  }

  private respond(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    // GitHub refuses requests without a User-Agent before anything else, with a plain-text 403.
    if (!req.headers['user-agent']) {
      send(
        res,
        403,
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n',
        {
          'content-type': 'text/plain; charset=utf-8',
        },
      );
      return;
    }
    if (apiVersionOf(req) === undefined) {
      replyUnsupportedApiVersion(req, res, this.budgets);
      return;
    }
    const plan = this.failures.take(path);
    if (plan) {
      replyWithFailure(plan, req, res, this.budgets);
      return;
    }
    const url = new URL(path, 'http://fake.invalid');
    const authorization = req.headers.authorization;
    if (this.app?.answer(req, res, url) || this.app?.refuseSpentToken(req, res)) {
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      replyNotFound(req, res, { ...commonHeaders(req), ...this.budgets.headers(authorization) });
      return;
    }
    if (url.pathname === '/rate_limit') {
      this.replyRateLimit(req, res);
      return;
    }
    if (this.budgets.peek(authorization).remaining <= 0) {
      replyPrimaryRateLimited(req, res, this.budgets.peek(authorization));
      return;
    }
    this.replyRoute(req, res, url);
  }

  /** A route's answer with ETag, Last-Modified and rate-limit headers; 304 when the client's copy is current. */
  private replyRoute(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const authorization = req.headers.authorization;
    let decodedPath: string;
    try {
      decodedPath = decodeURIComponent(url.pathname);
    } catch {
      decodedPath = url.pathname;
    }
    const found = answer(decodedPath, url.searchParams, {
      accounts: this.accounts,
      stargazers: this.stargazers,
      origin: this.linkOrigin(req),
      accept: req.headers.accept,
      authorization,
      apiVersion: apiVersionOf(req) ?? DEFAULT_API_VERSION,
    });
    if (found.status !== 200) {
      // Refusals cost a request, as on GitHub; a permission 403 leaves the budget above 0.
      this.budgets.spend(authorization);
      const headers = { ...commonHeaders(req), ...this.budgets.headers(authorization) };
      if (found.status === 404) {
        replyNotFound(req, res, headers);
      } else {
        sendJson(res, found.status, found.body, headers);
      }
      return;
    }
    const text = JSON.stringify(found.body);
    const etag = etagOf(text, req);
    const notModified = isNotModified(req, etag, found.lastModified);
    // GitHub: a conditional hit is free with a token; anonymous callers are reported to pay anyway.
    if (!notModified || authorization === undefined) {
      this.budgets.spend(authorization);
    }
    if (notModified) {
      res.writeHead(304, this.headersFor(req, etag, found));
      res.end();
      return;
    }
    const headers = {
      ...this.headersFor(req, etag, found),
      'content-type': 'application/json; charset=utf-8',
    };
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
      res.end();
      return;
    }
    send(res, 200, text, headers);
  }

  private headersFor(
    req: IncomingMessage,
    etag: string,
    found: { link?: string; lastModified?: string; headers?: Record<string, string> },
  ): Record<string, string> {
    return {
      ...commonHeaders(req),
      ...found.headers,
      ...this.budgets.headers(req.headers.authorization),
      etag,
      ...(found.lastModified ? { 'last-modified': found.lastModified } : {}),
      ...(found.link ? { link: found.link } : {}),
    };
  }

  /** `GET /rate_limit` is free, as on GitHub. */
  private replyRateLimit(req: IncomingMessage, res: ServerResponse): void {
    const budget = this.budgets.peek(req.headers.authorization);
    const core = {
      limit: budget.limit,
      used: budget.limit - budget.remaining,
      remaining: budget.remaining,
      reset: budget.resetEpochSeconds,
    };
    // 2026-03-10 dropped the top-level `rate` (a copy of `resources.core`).
    const body: Partial<components['schemas']['rate-limit-overview']> = {
      resources: {
        core,
        search: { limit: 30, used: 0, remaining: 30, reset: budget.resetEpochSeconds },
      },
      ...(apiVersionShape(apiVersionOf(req) ?? DEFAULT_API_VERSION).rateLimitHasRate
        ? { rate: core }
        : {}),
    };
    sendJson(res, 200, body, {
      ...commonHeaders(req),
      ...this.budgets.headers(req.headers.authorization),
    });
  }

  private linkOrigin(req: IncomingMessage): string {
    if (this.options.publicUrl) {
      return this.options.publicUrl.replace(/\/+$/, '');
    }
    return req.headers.host ? `http://${req.headers.host}` : this.baseUrl;
  }
}
