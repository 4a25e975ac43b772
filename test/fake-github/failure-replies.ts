import { IncomingMessage, ServerResponse } from 'node:http';
import { API_VERSIONS } from './api-versions';
import { FailurePlan } from './failure-plans';
import { GITHUB_DOCS_URL } from './github-json';
import { commonHeaders, send, sendJson } from './http-reply';
import { RateLimitBudgets, RateLimitState } from './rate-limit-budgets';

const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const API_VERSIONS_DOCS = 'https://docs.github.com/rest/about-the-rest-api/api-versions';
const DEFAULT_PRIMARY_RESET_SECONDS = 1800;
const DEFAULT_SECONDARY_RETRY_AFTER = 60;

/** GitHub's 502 page: HTML, not JSON, as a client meets it when GitHub's front end fails. */
const UNICORN_PAGE = `<!DOCTYPE html>
<html><head><meta http-equiv="Content-type" content="text/html; charset=utf-8"><title>Unicorn! &middot; GitHub</title></head>
<body><div class="container"><h1>No server is currently available to service your request.</h1>
<p>Sorry about that. Please try refreshing and contact us if the problem persists.</p></div></body></html>
`;

/**
 * Answers `req` the way GitHub does when it fails in the planned way. Failures spend no budget,
 * so a test's failure never changes what later requests see.
 */
export function replyWithFailure(
  plan: FailurePlan,
  req: IncomingMessage,
  res: ServerResponse,
  budgets: RateLimitBudgets,
): void {
  const authorization = req.headers.authorization;
  const headers = { ...commonHeaders(req), ...budgets.headers(authorization) };
  switch (plan.mode) {
    case 'server-error':
      return sendJson(
        res,
        500,
        { message: 'Server Error', documentation_url: GITHUB_DOCS_URL, status: '500' },
        headers,
      );
    case 'bad-gateway-html':
      return send(res, 502, UNICORN_PAGE, { 'content-type': 'text/html; charset=utf-8' });
    case 'invalid-json':
      return send(res, 200, '[{"id": 1, "name": "trunc', {
        ...headers,
        'content-type': 'application/json; charset=utf-8',
      });
    case 'reset':
      // A TCP RST rather than a clean FIN: the client sees ECONNRESET mid-request.
      req.socket.resetAndDestroy();
      return;
    case 'hang':
      // Never answered: the socket stays open until the client gives up or the fake closes.
      return;
    case 'primary-rate-limit': {
      const budget = budgets.peek(authorization);
      const resetEpochSeconds =
        plan.resetEpochSeconds ?? Math.floor(Date.now() / 1000) + DEFAULT_PRIMARY_RESET_SECONDS;
      return replyPrimaryRateLimited(req, res, {
        limit: budget.limit,
        remaining: 0,
        resetEpochSeconds,
      });
    }
    case 'secondary-rate-limit':
      return sendJson(
        res,
        403,
        {
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${headers['x-github-request-id']}.`,
          documentation_url:
            'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: '403',
        },
        {
          ...headers,
          'retry-after': String(plan.retryAfterSeconds ?? DEFAULT_SECONDARY_RETRY_AFTER),
        },
      );
    case 'not-found':
      return replyNotFound(req, res, headers);
    case 'bad-credentials':
      return sendJson(
        res,
        401,
        { message: 'Bad credentials', documentation_url: GITHUB_DOCS_URL, status: '401' },
        headers,
      );
  }
}

/**
 * GitHub's answer to an `X-GitHub-Api-Version` it does not serve: a 400 naming the versions it
 * does, before anything else of the request is looked at (no version selected, no budget spent).
 */
export function replyUnsupportedApiVersion(
  req: IncomingMessage,
  res: ServerResponse,
  budgets: RateLimitBudgets,
): void {
  const asked = String(req.headers['x-github-api-version']);
  const supported = [...API_VERSIONS]
    .reverse()
    .map((version, index) => `"${version}"${index === 0 ? ' (most recent)' : ''}`)
    .join(', ');
  sendJson(
    res,
    400,
    {
      message: `The version you specified in the "X-GitHub-Api-Version" request header, "${asked}", is not a supported version. The following versions are currently supported: ${supported}.`,
      documentation_url: API_VERSIONS_DOCS,
      status: '400',
    },
    { ...commonHeaders(req), ...budgets.headers(req.headers.authorization) },
  );
}

/** GitHub's answer when a primary budget is spent: 403, remaining 0, and the caller named. */
export function replyPrimaryRateLimited(
  req: IncomingMessage,
  res: ServerResponse,
  budget: RateLimitState,
): void {
  // GitHub names the IP for anonymous callers; the service must never pass this on.
  const who =
    req.headers.authorization === undefined
      ? `${req.socket.remoteAddress ?? 'unknown'}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`
      : 'user ID 1.';
  sendJson(
    res,
    403,
    {
      message: `API rate limit exceeded for ${who}`,
      documentation_url: RATE_LIMIT_DOCS,
      status: '403',
    },
    {
      ...commonHeaders(req),
      'x-ratelimit-limit': String(budget.limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': String(budget.limit),
      'x-ratelimit-reset': String(budget.resetEpochSeconds),
      'x-ratelimit-resource': 'core',
    },
  );
}

export function replyNotFound(
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): void {
  sendJson(
    res,
    404,
    { message: 'Not Found', documentation_url: GITHUB_DOCS_URL, status: '404' },
    headers,
  );
}
