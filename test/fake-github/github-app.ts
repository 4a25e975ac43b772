import { createPublicKey, KeyObject, randomBytes, verify } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { commonHeaders, sendJson } from './http-reply';
import { RateLimitBudgets } from './rate-limit-budgets';

export interface FakeAppInstallation {
  id: number;
  /** The account the App is installed on. */
  account: string;
  /** A suspended installation is listed with `suspended_at` and sells no tokens (403). */
  suspended?: boolean;
}

export interface FakeAppOptions {
  appId: number;
  /** The public half of the App's key, as GitHub keeps it: the test holds the private half. */
  publicKey: KeyObject | string;
  installations: FakeAppInstallation[];
  /** How long an installation token lives; GitHub's is an hour. */
  tokenLifetimeSeconds?: number;
  /** Each installation's hourly budget: GitHub gives 5,000 to 12,500 (15,000 on Enterprise Cloud). */
  installationLimit?: number;
}

/** The claims of a JWT the fake accepted, for tests that check how the service signs. */
export interface AcceptedJwt {
  iss: unknown;
  iat: number;
  exp: number;
  /** When it arrived, in epoch seconds. */
  receivedAt: number;
}

export interface IssuedToken {
  token: string;
  installationId: number;
  expiresAtMs: number;
}

const GITHUB_DOCS_URL = 'https://docs.github.com/rest';
/** GitHub's longest JWT: 10 minutes from `iat` to `exp`. */
const MAX_JWT_SECONDS = 600;
/** What GitHub answers for a JWT it cannot verify (wrong key, wrong App, garbage). */
export const UNDECODABLE_JWT = 'A JSON web token could not be decoded';
const DEFAULT_TOKEN_SECONDS = 3600;
const DEFAULT_INSTALLATION_LIMIT = 5000;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * A GitHub App as GitHub sees it: `/app` endpoints that take only a valid RS256 JWT signed by the
 * App's key (401 with GitHub's messages otherwise), its installations, and installation tokens in
 * today's format (`ghs_<app id>_<JWT>`, ~520 characters) with an expiry and a budget of their
 * installation's own. A token used after its expiry, or revoked, gets GitHub's 401.
 */
export class FakeGithubApp {
  /** Every installation token sold, in order. */
  readonly issued: IssuedToken[] = [];
  /** Every JWT accepted, in order. */
  readonly acceptedJwts: AcceptedJwt[] = [];
  private readonly publicKey: KeyObject;
  private readonly byToken = new Map<string, IssuedToken>();
  private readonly revoked = new Set<string>();
  private readonly budgetOverrides = new Map<
    number,
    { limit: number; remaining: number; resetEpochSeconds: number }
  >();

  constructor(
    private readonly options: FakeAppOptions,
    private readonly budgets: RateLimitBudgets,
  ) {
    this.publicKey =
      typeof options.publicKey === 'string'
        ? createPublicKey(options.publicKey)
        : options.publicKey;
  }

  /** Tokens sold for one installation, or for all. */
  purchases(installationId?: number): number {
    return this.issued.filter(
      (t) => installationId === undefined || t.installationId === installationId,
    ).length;
  }

  /** Makes GitHub refuse a token before its expiry, as when an App's tokens are revoked. */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  /**
   * Sets an installation's budget, as GitHub counts it: for the tokens it holds and those sold
   * from now on.
   */
  setInstallationBudget(
    installationId: number,
    budget: { limit: number; remaining: number },
  ): void {
    const resetEpochSeconds = nowSeconds() + 3600;
    this.budgetOverrides.set(installationId, { ...budget, resetEpochSeconds });
    for (const issued of this.issued.filter((t) => t.installationId === installationId)) {
      this.budgets.set({ authorization: `Bearer ${issued.token}`, ...budget, resetEpochSeconds });
    }
  }

  /** Installs the App on another account, as GitHub does before sending `installation` `created`. */
  addInstallation(installation: FakeAppInstallation): void {
    this.options.installations = [
      ...this.options.installations.filter((i) => i.id !== installation.id),
      installation,
    ];
  }

  /** Uninstalls the App from an account: no longer listed, and its tokens are no longer sold. */
  removeInstallation(installationId: number): void {
    this.options.installations = this.options.installations.filter((i) => i.id !== installationId);
  }

  /** Sets how long tokens sold from now on live. */
  setTokenLifetime(seconds: number): void {
    this.options.tokenLifetimeSeconds = seconds;
  }

  /** Answers `/app` and `/app/...`; false for any other path. */
  answer(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    if (url.pathname !== '/app' && !url.pathname.startsWith('/app/')) {
      return false;
    }
    const headers = commonHeaders(req);
    const refusal = this.jwtProblem(req.headers.authorization);
    if (refusal) {
      sendJson(
        res,
        401,
        { message: refusal, documentation_url: GITHUB_DOCS_URL, status: '401' },
        headers,
      );
      return true;
    }
    const method = req.method ?? 'GET';
    const tokenRoute = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    const installationRoute = /^\/app\/installations\/(\d+)$/.exec(url.pathname);
    if (method === 'GET' && url.pathname === '/app') {
      sendJson(res, 200, { id: this.options.appId, slug: 'fake-app', name: 'Fake App' }, headers);
    } else if (method === 'GET' && url.pathname === '/app/installations') {
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const all = this.options.installations.map((i) => this.installationJson(i));
      sendJson(res, 200, all.slice((page - 1) * perPage, page * perPage), headers);
    } else if (method === 'GET' && installationRoute) {
      const installation = this.findInstallation(Number(installationRoute[1]));
      sendJson(
        res,
        installation ? 200 : 404,
        installation ? this.installationJson(installation) : notFound(),
        headers,
      );
    } else if (method === 'POST' && tokenRoute) {
      this.sellToken(res, Number(tokenRoute[1]), headers);
    } else {
      sendJson(res, 404, notFound(), headers);
    }
    // The request body (permissions, repositories) is not read: drain it.
    req.resume();
    return true;
  }

  /**
   * For every other route: GitHub's 401 for a token this fake sold that has expired or was
   * revoked (true: answered). Other credentials go on as before.
   */
  refuseSpentToken(req: IncomingMessage, res: ServerResponse): boolean {
    const token = /^(?:bearer|token) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const issued = token ? this.byToken.get(token) : undefined;
    if (!issued || (issued.expiresAtMs > Date.now() && !this.revoked.has(issued.token))) {
      return false;
    }
    sendJson(
      res,
      401,
      { message: 'Bad credentials', documentation_url: GITHUB_DOCS_URL, status: '401' },
      commonHeaders(req),
    );
    return true;
  }

  private sellToken(
    res: ServerResponse,
    installationId: number,
    headers: Record<string, string>,
  ): void {
    const installation = this.findInstallation(installationId);
    if (!installation) {
      sendJson(res, 404, notFound(), headers);
      return;
    }
    if (installation.suspended) {
      sendJson(
        res,
        403,
        {
          message: 'This installation has been suspended',
          documentation_url: GITHUB_DOCS_URL,
          status: '403',
        },
        headers,
      );
      return;
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_SECONDS;
    const expiresAtMs = (nowSeconds() + lifetime) * 1000;
    const token = installationToken(this.options.appId, installationId, expiresAtMs);
    // GitHub counts an installation's budget, not a token's: a new token carries on with it.
    const previous = this.issued.findLast((t) => t.installationId === installationId);
    const budget = previous
      ? this.budgets.peek(`Bearer ${previous.token}`)
      : this.budgetOverrides.get(installationId);
    this.budgets.set({
      authorization: `Bearer ${token}`,
      limit: budget?.limit ?? this.options.installationLimit ?? DEFAULT_INSTALLATION_LIMIT,
      remaining: budget?.remaining,
      resetEpochSeconds: budget?.resetEpochSeconds,
    });
    const issued = { token, installationId, expiresAtMs };
    this.issued.push(issued);
    this.byToken.set(token, issued);
    sendJson(
      res,
      201,
      {
        token,
        expires_at: new Date(expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions: { metadata: 'read' },
        repository_selection: 'all',
      },
      headers,
    );
  }

  /** What is wrong with the `Authorization` of an `/app` request, in GitHub's words; undefined if nothing. */
  private jwtProblem(authorization: string | undefined): string | undefined {
    const jwt = /^bearer (.+)$/i.exec(authorization ?? '')?.[1];
    const parts = jwt?.split('.');
    if (!jwt || parts?.length !== 3) {
      return UNDECODABLE_JWT;
    }
    const [header, payload, signature] = parts;
    let claims: { iss?: unknown; iat?: unknown; exp?: unknown };
    try {
      const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: unknown })
        .alg;
      const signed = verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        this.publicKey,
        Buffer.from(signature, 'base64url'),
      );
      if (alg !== 'RS256' || !signed) {
        return UNDECODABLE_JWT;
      }
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as typeof claims;
    } catch {
      return UNDECODABLE_JWT;
    }
    const { iss, iat, exp } = claims;
    if (!(typeof iss === 'number' || (typeof iss === 'string' && /^\d+$/.test(iss)))) {
      return "'Issuer' claim ('iss') must be an Integer";
    }
    if (Number(iss) !== this.options.appId) {
      // GitHub looks the key up by `iss`: another App's key cannot verify this signature.
      return UNDECODABLE_JWT;
    }
    const now = nowSeconds();
    if (typeof iat !== 'number' || iat > now) {
      return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
    }
    if (typeof exp !== 'number' || exp <= now) {
      return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
    }
    if (exp - iat > MAX_JWT_SECONDS) {
      return "'Expiration time' claim ('exp') is too far in the future";
    }
    this.acceptedJwts.push({ iss, iat, exp, receivedAt: now });
    return undefined;
  }

  private findInstallation(id: number): FakeAppInstallation | undefined {
    return this.options.installations.find((i) => i.id === id);
  }

  private installationJson(installation: FakeAppInstallation): Record<string, unknown> {
    return {
      id: installation.id,
      app_id: this.options.appId,
      account: { login: installation.account, type: 'User' },
      target_type: 'User',
      repository_selection: 'all',
      permissions: { metadata: 'read' },
      events: ['star', 'push'],
      suspended_at: installation.suspended ? '2026-01-01T00:00:00Z' : null,
    };
  }
}

function notFound(): Record<string, string> {
  return { message: 'Not Found', documentation_url: GITHUB_DOCS_URL, status: '404' };
}

/**
 * An installation token as GitHub has issued them since 2026-04-27: `ghs_<app id>_<JWT>`, about
 * 520 characters and of varying length, with `.`, `-` and `_`.
 */
function installationToken(appId: number, installationId: number, expiresAtMs: number): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = part({ alg: 'RS256', typ: 'JWT' });
  const payload = part({
    iss: String(appId),
    installation_id: installationId,
    exp: Math.floor(expiresAtMs / 1000),
    jti: randomBytes(120 + Math.floor(Math.random() * 30)).toString('base64url'),
  });
  return `ghs_${appId}_${header}.${payload}.${randomBytes(128).toString('base64url')}`;
}
