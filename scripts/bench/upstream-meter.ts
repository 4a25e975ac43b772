import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { FakeGithub } from '../../test/fake-github';

/** What the fake GitHub answered since the last `reset()`. */
export interface UpstreamCount {
  requests: number;
  /** Answers by status code: `{ "200": 13, "304": 0 }`. */
  byStatus: Record<string, number>;
  /** Requests for repository list pages (`/users/:login/repos`, `/user/:id/repos`). */
  repoPages: number;
  /** Free `GET /rate_limit` calls. */
  rateLimitCalls: number;
  /** Requests that carried `If-None-Match` or `If-Modified-Since`. */
  conditional: number;
}

/**
 * Counts the fake GitHub's answers by status. The fake records requests but not what it answered,
 * and the benchmark must tell a 200 (which spends primary budget) from a 304 (free with a token),
 * so this listens on the fake's own HTTP server and reads each response's status when it is sent.
 */
export class UpstreamMeter {
  private count = empty();

  constructor(fake: FakeGithub) {
    // A private field of the fake, read on purpose: its server is the one place every answer passes.
    const server: unknown = fake['server'];
    if (!(server instanceof Server)) {
      throw new Error(
        'FakeGithub no longer keeps its node:http server in `server`; update scripts/bench/upstream-meter.ts',
      );
    }
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // Counted in the window the request arrived in, even if it is answered after a reset().
      const count = this.count;
      const path = req.url ?? '/';
      count.requests++;
      if (/^\/(users\/[^/]+|user\/\d+)\/repos(\?|$)/.test(path)) count.repoPages++;
      if (path.startsWith('/rate_limit')) count.rateLimitCalls++;
      if (
        req.headers['if-none-match'] !== undefined ||
        req.headers['if-modified-since'] !== undefined
      ) {
        count.conditional++;
      }
      res.once('close', () => {
        const status = res.writableFinished ? String(res.statusCode) : 'unanswered';
        count.byStatus[status] = (count.byStatus[status] ?? 0) + 1;
      });
    });
  }

  reset(): void {
    this.count = empty();
  }

  snapshot(): UpstreamCount {
    return { ...this.count, byStatus: { ...this.count.byStatus } };
  }
}

function empty(): UpstreamCount {
  return { requests: 0, byStatus: {}, repoPages: 0, rateLimitCalls: 0, conditional: 0 };
}
