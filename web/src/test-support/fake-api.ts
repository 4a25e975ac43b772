import { vi } from 'vitest';
import { accountHistory, repoDetails, repoPage, starHistory, summary } from './fixtures';

type Handler = (url: URL) => Response | Promise<Response>;

export function json(body: unknown, headers: Record<string, string> = {}, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-cache': 'MISS', ...headers },
  });
}

export function problem(
  status: number,
  detail: string,
  headers: Record<string, string> = {},
  extra = {},
): Response {
  return new Response(
    JSON.stringify({ type: 'urn:test', title: 'Error', status, detail, instance: '/', ...extra }),
    { status, headers: { 'content-type': 'application/problem+json', ...headers } },
  );
}

/**
 * Our API as the page sees it through `fetch`: every request is recorded, and each route answers
 * from a handler a test can replace. The default is a 75-repository account.
 */
export class FakeApi {
  readonly requests: URL[] = [];
  summary: Handler = () => json(summary());
  repos: Handler = (url) => json(repoPage(url));
  history: Handler = () => json(accountHistory());
  repoDetails: Handler = (url) => json(repoDetails({ name: url.pathname.split('/')[4] }));
  starHistory: Handler = () => json(starHistory());

  install(): this {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const url = new URL(String(input), 'http://dashboard.test');
        this.requests.push(url);
        if (/^\/github\/users\/[^/]+\/summary$/.test(url.pathname)) {
          return this.summary(url);
        }
        if (/^\/github\/repos\/[^/]+$/.test(url.pathname)) {
          return this.repos(url);
        }
        if (/^\/github\/users\/[^/]+\/history$/.test(url.pathname)) {
          return this.history(url);
        }
        if (/^\/github\/repos\/[^/]+\/[^/]+$/.test(url.pathname)) {
          return this.repoDetails(url);
        }
        if (/^\/github\/repos\/[^/]+\/[^/]+\/star-history$/.test(url.pathname)) {
          return this.starHistory(url);
        }
        return problem(404, 'no such route');
      }),
    );
    return this;
  }

  /** Requests to the list route, as their query parameters. */
  repoRequests(): Record<string, string>[] {
    return this.requests
      .filter((url) => /^\/github\/repos\/[^/]+$/.test(url.pathname))
      .map((url) => Object.fromEntries(url.searchParams));
  }

  lastRepoRequest(): Record<string, string> {
    const all = this.repoRequests();
    return all[all.length - 1];
  }
}
