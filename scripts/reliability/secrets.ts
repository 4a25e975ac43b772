/**
 * Part 4, secrets: with a token configured, every error path the service has (400, 404, 405, 414,
 * 429, 431, 500, 502, 503, 504) — the token, and the word "Bearer", must appear in no response
 * body, no response header and no line any app of this run wrote; response bodies carry no stack
 * trace and no internal address.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { FailureMode, FakeGithub, GithubRepoJson } from '../../test/fake-github';
import { raw, RawReply } from './http-client';
import { appDirectory } from '../shared/built-app';
import { App, SECRET_TOKEN, startApp, startedApps, stopApp } from './processes';
import { Checks, figure, heading, show } from './report';

/** What a client might send that the logs must not keep either. */
const CLIENT_SECRET = 'ghp_CLIENTSECRETabcdef0123456789';
const COOKIE_SECRET = 'COOKIESECRET0123456789';

export async function secretsPart(checks: Checks): Promise<void> {
  heading('4. secrets: every error path with a token configured');
  const fake = await FakeGithub.start();
  let app: App | undefined;
  let throttled: App | undefined;
  const fingerprint = `tok_${createHash('sha256').update(SECRET_TOKEN).digest('hex').slice(0, 8)}`;
  const seen = new Set<number>();
  let responseLeaks = 0;
  try {
    fake.addUser('octocat', 40);
    const [template] = fake.addUser('odd-shape', 1);
    // Valid JSON of the wrong shape: a language that is a number. GitHub never sends this; the
    // service must still answer without leaking anything.
    fake.addUser('odd-shape', [{ ...template, language: 42 } as unknown as GithubRepoJson]);
    // debug: every upstream call is logged too, so more lines are checked.
    app = await startApp('secrets', fake.url, { LOG_LEVEL: 'debug', GITHUB_TIMEOUT_MS: '500' });
    throttled = await startApp('secrets-throttled', fake.url, {
      THROTTLE_LIMIT: '3',
      THROTTLE_TTL_SECONDS: '60',
    });
    const port = app.port;
    const plain =
      (target: string, method = 'GET', headers?: Record<string, string>) =>
      () =>
        raw(port, { method, target, headers, ...(method === 'POST' ? { body: '{}' } : {}) });
    /** GitHub failing in `mode` for a summary; `pauseMs` after, for a rate limit to pass. */
    const upstream =
      (mode: FailureMode, login: string, extra = (): Record<string, number> => ({}), pauseMs = 0) =>
      async (): Promise<RawReply> => {
        fake.reset();
        fake.addUser(login, 3);
        fake.failNext({ mode, times: Infinity, ...extra() });
        try {
          return await raw(port, { method: 'GET', target: `/github/users/${login}/summary` });
        } finally {
          fake.reset();
          await sleep(pauseMs);
        }
      };
    const now = (): number => Math.floor(Date.now() / 1000);
    const throttle = async (): Promise<RawReply> => {
      let reply: RawReply | undefined;
      for (let i = 0; i < 4; i++) {
        reply = await raw(throttled!.port, { method: 'GET', target: '/github/users/octocat' });
      }
      return reply!;
    };

    // [name, acceptable statuses (the first is the one the path is meant to produce), send]
    const paths: [string, number[], () => Promise<RawReply>][] = [
      ['400 invalid login', [400], plain('/github/repos/-bad-login-')],
      ['400 invalid query value', [400], plain('/github/repos/octocat?sort=size')],
      ['400 unknown query parameter', [400], plain('/github/users/octocat?token=x')],
      [
        '400 more than 20 query parameters',
        [400],
        plain(`/github/repos/octocat?${Array.from({ length: 21 }, (_, i) => `p${i}=1`).join('&')}`),
      ],
      ['400 malformed percent-encoding', [400], plain('/github/repos/%E0%A4%A')],
      ['400 refused by the HTTP parser (raw non-ASCII)', [400], plain('/github/users/é')],
      ['404 no such route', [404], plain('/no/such/route')],
      ['404 no such GitHub user', [404], plain('/github/users/nobody-here')],
      ['405 POST', [405], plain('/github/users/octocat', 'POST')],
      ['405 DELETE', [405], plain('/github/repos/octocat', 'DELETE')],
      [
        '414 URL over 2,048 characters',
        [414],
        plain(`/github/repos/octocat?language=${'a'.repeat(2100)}`),
      ],
      ['414 path parameter over 200 characters', [414], plain(`/github/users/${'a'.repeat(250)}`)],
      ['431 request line over 16 kB', [431, 414], plain(`/github/users/${'a'.repeat(17_000)}`)],
      ['502 GitHub 500', [502], upstream('server-error', 'leak-500')],
      ['502 GitHub HTML 502 page', [502], upstream('bad-gateway-html', 'leak-html')],
      ['502 GitHub invalid JSON', [502], upstream('invalid-json', 'leak-json')],
      ['502 GitHub reset the connection', [502], upstream('reset', 'leak-reset')],
      ['504 GitHub never answers', [504], upstream('hang', 'leak-hang')],
      [
        '503 primary rate limit',
        [503],
        upstream(
          'primary-rate-limit',
          'leak-primary',
          () => ({ resetEpochSeconds: now() + 2 }),
          3_000,
        ),
      ],
      [
        '503 secondary rate limit',
        [503],
        upstream('secondary-rate-limit', 'leak-secondary', () => ({ retryAfterSeconds: 1 }), 1_500),
      ],
      [
        '500 or 502 for GitHub data of the wrong shape',
        [500, 502],
        plain('/github/repos/odd-shape?language=go'),
      ],
      // Last among upstream failures: a 401 makes the app drop its only token.
      ['502 GitHub rejects the token (401)', [502], upstream('bad-credentials', 'leak-401')],
      ['429 throttled (THROTTLE_LIMIT=3)', [429], throttle],
      [
        'a client sending its own Authorization and Cookie (must be redacted in logs)',
        [200],
        plain('/github/users/octocat', 'GET', {
          Authorization: `Bearer ${CLIENT_SECRET}`,
          Cookie: `session=${COOKIE_SECRET}`,
        }),
      ],
    ];

    const internals = [
      ['a stack trace', '    at '],
      ['node_modules', 'node_modules'],
      ['127.0.0.1', '127.0.0.1'],
      ['the fake GitHub port', `:${new URL(fake.url).port}`],
      ['a file path of the app', appDirectory()],
      ['an axios error', 'AxiosError'],
    ];
    for (const [name, statuses, send] of paths) {
      const reply = await send();
      seen.add(reply.status);
      const text = `${reply.head}\r\n\r\n${reply.body}`;
      const leaks = secretsIn(text);
      responseLeaks += leaks.length;
      const internal = internals
        .filter(([, needle]) => reply.body.includes(needle))
        .map(([what]) => what);
      const statusOk = statuses.includes(reply.status);
      const retryAfterOk =
        reply.status !== 429 && reply.status !== 503
          ? true
          : /^\d+$/.test(reply.headers['retry-after'] ?? '');
      checks.check(
        `secrets: ${name}: no token or "Bearer" in headers or body, no internals in the body`,
        statusOk && retryAfterOk && leaks.length === 0 && internal.length === 0,
        [
          `HTTP ${reply.status}${statusOk ? '' : ` (expected ${statuses.join(' or ')}: ${show(reply.body, 200)})`}`,
          retryAfterOk ? '' : 'no Retry-After',
          leaks.length ? `LEAKED ${leaks.join(', ')}` : '',
          internal.length ? `body shows ${internal.join(', ')}: ${show(reply.body, 300)}` : '',
        ]
          .filter(Boolean)
          .join('; '),
      );
    }
    figure('error statuses driven', [...seen].sort().join(' '));
  } finally {
    await stopApp(app);
    await stopApp(throttled);
    await fake.close();
  }

  // Every app of the run so far, stdout and stderr, after they stopped (nothing left to flush).
  let lines = 0;
  let leakingLines = 0;
  const leaks: string[] = [];
  for (const started of startedApps) {
    for (const file of started.logFiles) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        lines++;
        const found = secretsIn(line);
        if (found.length > 0) {
          leakingLines++;
          if (leaks.length < 5) {
            leaks.push(`${file}: ${found.join(', ')} in ${show(line, 300)}`);
          }
        }
      }
    }
  }
  const secretsLog = readLogs(startedApps.find((a) => a.name === 'secrets'));
  const throttledLog = readLogs(startedApps.find((a) => a.name === 'secrets-throttled'));
  figure('log lines scanned', `${lines} from ${startedApps.length} apps`);
  checks.headline(
    `secrets: statuses ${[...seen].sort().join(' ')} driven; the token or "Bearer" found in ` +
      `${responseLeaks} responses and ${leakingLines} of ${lines} log lines`,
  );
  checks.check(
    'secrets: the logs record the error paths (502, 503, 504, 429, and 500 when one occurred) and name the token by its fingerprint',
    ['"statusCode":502', '"statusCode":503', '"statusCode":504', fingerprint]
      .concat(seen.has(500) ? ['Unhandled error'] : [])
      .every((n) => secretsLog.includes(n)) && throttledLog.includes('"statusCode":429'),
    `fingerprint ${fingerprint}`,
  );
  checks.check(
    'secrets: no log line of any app holds the token, "Bearer", or a client\'s Authorization or Cookie value',
    leaks.length === 0,
    leaks.length === 0 ? `${lines} lines` : `${leakingLines} lines, e.g.\n${leaks.join('\n')}`,
  );
}

function secretsIn(text: string): string[] {
  const found: string[] = [];
  if (text.includes(SECRET_TOKEN) || text.includes('RELIABILITYSECRET')) {
    found.push('the GitHub token');
  }
  if (/bearer/i.test(text)) {
    found.push('"Bearer"');
  }
  if (text.includes('CLIENTSECRET')) {
    found.push("the client's Authorization value");
  }
  if (text.includes(COOKIE_SECRET)) {
    found.push("the client's cookie");
  }
  return found;
}

function readLogs(app: App | undefined): string {
  return app ? app.logFiles.map((file) => readFileSync(file, 'utf8')).join('\n') : '';
}
