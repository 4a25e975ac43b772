/**
 * The dashboard page in headless Chromium against the real backend (`node dist/main.js`, built by
 * `npm run build`) and the fake GitHub: what a reader sees is checked against what the API
 * answers, asked separately by the test. Each state leaves a screenshot in
 * test-output/screenshots/.
 *
 *   npm run test:browser
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { ConsoleMessage, Page } from 'playwright-core';
import { FakeGithub } from '../fake-github';
import { type Backend, startBackend } from './support/backend';
import { type Browser, launchChromium } from './support/browser';
import { DashboardPage, expectedRows, fmt, pct } from './support/dashboard-page';
import { FIGURE } from './support/summary-reporter';

const AVATARS = 'https://avatars.githubusercontent.com/**';
/** A 1×1 PNG, for the one test that lets an avatar "arrive". */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

interface SummaryJson {
  profile: { login: string; name: string | null; followers: number; publicRepos: number };
  totals: { repos: number; stars: number; forks: number; sources: number; forked: number };
  languages: { language: string | null; repos: number; share: number }[];
  topRepos: { name: string; stars: number }[];
}
interface RepoPageJson {
  total: number;
  page: number;
  perPage: number;
  repos: { name: string; stars: number; forks: number; language: string | null }[];
}

interface RepoDetailsJson {
  stars: number;
  forks: number;
  license: { spdxId: string | null; name: string } | null;
  topics: string[];
  languages: { language: string; share: number }[];
}
interface HistoryJson {
  points: { date: string; stars: number | null; followers: number | null }[];
}
interface StarHistoryJson {
  stars: number;
  source: 'history' | 'stargazers' | 'snapshots';
  exact: boolean;
  interval: 'day' | 'week' | 'month';
  since: string;
  points: { date: string; stars: number; gained?: number; lost?: number }[];
}

/** A UTC day as the page writes it: "Dec 5, 2026". */
const day = (date: string): string =>
  new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));

/**
 * The account's recorded history once the service has written today's snapshot. It writes it
 * after answering (off the request path), so this asks for the summary, then asks for the history
 * with `Cache-Control: no-cache` (which also refreshes the cached answer) until today is there.
 */
async function recordedHistory(base: string, login: string): Promise<HistoryJson> {
  assert.equal((await api(base, `/github/users/${login}/summary`)).status, 200);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await fetch(`${base}/github/users/${login}/history`, {
      headers: { 'cache-control': 'no-cache' },
    });
    const history = (await response.json()) as HistoryJson;
    if (response.status === 200 && history.points.length > 0) {
      return history;
    }
    assert.ok(Date.now() < deadline, `no snapshot of ${login} recorded: ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Asks our API directly, as any client would; `X-Cache` and `Retry-After` come along. */
async function api<T>(
  base: string,
  path: string,
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

void describe('dashboard page in Chromium', () => {
  let gh: FakeGithub;
  let backend: Backend;
  let browser: Browser;
  let page: Page;
  let dash: DashboardPage;
  let problems: string[];

  before(async () => {
    gh = await FakeGithub.start({ rateLimit: { limit: 100_000 } });
    gh.addUser('octocat', 1234);
    gh.addUser('ghost', 0);
    gh.addOrg('acme', 40);
    backend = await startBackend(gh.url);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await backend?.stop();
    await gh?.close();
  });

  /** A fresh tab per test; avatars are unreachable here, as on a machine without network. */
  async function openTab(base: string, viewport = { width: 1280, height: 900 }): Promise<void> {
    page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    await page.route(AVATARS, (route) => route.abort('namenotresolved'));
    problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message: ConsoleMessage) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) {
        problems.push(`CSP: ${message.text()}`);
      }
    });
    dash = new DashboardPage(page, base);
  }

  beforeEach(async () => {
    await openTab(backend.url);
  });

  afterEach(async () => {
    await page.close();
    assert.deepEqual(problems, [], 'no script errors and no CSP violations');
  });

  void it('should serve the page at / beside the API, whose other paths keep their answers', async () => {
    const home = await fetch(`${backend.url}/`);
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(home.headers.get('cache-control'), 'no-cache');
    const csp = home.headers.get('content-security-policy') ?? '';
    assert.match(csp, /img-src 'self' data: https:\/\/avatars\.githubusercontent\.com/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    assert.match(await home.text(), /<div id="root"><\/div>/);

    for (const path of ['/no/such/route', '/github/nope', '/github/users/octocat/nope/x']) {
      const response = await fetch(`${backend.url}${path}`);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/, path);
    }
    for (const [path, type] of [
      ['/health', /^application\/json/],
      ['/docs', /^text\/html/],
      ['/metrics', /^text\/plain/],
      ['/github/users/octocat', /^application\/json/],
    ] as const) {
      const response = await fetch(`${backend.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', type, path);
    }
  });

  void it('should work over plain http by a name other than localhost, as on a LAN', async () => {
    // Browsers treat 127.0.0.1 and localhost as secure; any other name over http is not, and a
    // CSP with upgrade-insecure-requests would send the page's own scripts to https there.
    const lan = await launchChromium(['--host-resolver-rules=MAP dashboard.lan 127.0.0.1']);
    try {
      const tab = await lan.context.newPage();
      await tab.route(AVATARS, (route) => route.abort('namenotresolved'));
      const failed: string[] = [];
      tab.on('requestfailed', (request) => {
        if (!request.url().startsWith('https://avatars.')) {
          failed.push(`${request.url()} ${request.failure()?.errorText}`);
        }
      });
      await tab.goto(`http://dashboard.lan:${new URL(backend.url).port}/?user=octocat`);
      await tab.getByRole('heading', { level: 1, name: 'octocat' }).waitFor({ timeout: 30_000 });
      // The history request follows the summary: leaving before it is answered would abort it.
      await tab.waitForLoadState('networkidle');
      await tab.goto(`http://dashboard.lan:${new URL(backend.url).port}/docs`);
      await tab.locator('.swagger-ui .info .title').waitFor();
      assert.deepEqual(failed, []);
    } finally {
      await lan.close();
    }
  });

  void it('should keep Swagger UI working under the same CSP', async () => {
    await page.goto(`${backend.url}/docs`);

    await page
      .locator('.swagger-ui .info .title')
      .filter({ hasText: 'GitHub Dashboard Backend' })
      .waitFor();
    await page.locator('.swagger-ui .opblock').first().waitFor();
  });

  void it('should welcome a visitor with a search box', async () => {
    await dash.open();

    await page.getByRole('heading', { name: 'See any GitHub account at a glance' }).waitFor();
    assert.equal(await page.title(), 'GitHub Dashboard');
    await dash.screenshot('01-welcome');
  });

  void it('should show a user searched for, with the numbers the API gives', async () => {
    await dash.open();
    await dash.search('octocat');
    await dash.waitForProfile('octocat');
    await dash.waitForTableIdle();
    await page.locator('[data-testid="avatar"][data-state="failed"]').waitFor();
    await page.locator('.chart-canvas canvas').first().waitFor();

    assert.equal(new URL(page.url()).search, '?user=octocat');
    const { body: summary } = await api<SummaryJson>(backend.url, '/github/users/octocat/summary');
    assert.equal(await dash.text('followers'), fmt(summary.profile.followers));
    assert.equal(await dash.text('public-repos'), fmt(summary.profile.publicRepos));
    assert.equal(await dash.text('total-repos'), fmt(summary.totals.repos));
    assert.equal(await dash.text('total-stars'), fmt(summary.totals.stars));
    assert.equal(await dash.text('total-forks'), fmt(summary.totals.forks));

    const legendLabels = await page
      .locator('[data-testid="language-legend"] .legend__label')
      .allTextContents();
    const legendShares = await page
      .locator('[data-testid="language-legend"] .legend__share')
      .allTextContents();
    const legend = legendLabels.map((label, i) => ({ label, share: legendShares[i] }));
    // Six named languages, then the rest together.
    assert.deepEqual(
      legend.slice(0, 6),
      summary.languages
        .slice(0, 6)
        .map((stat) => ({ label: stat.language ?? 'No language', share: pct(stat.share) })),
    );
    const rest = summary.languages.slice(6);
    assert.deepEqual(legend[6], {
      label: `Other languages (${rest.length})`,
      share: pct(rest.reduce((sum, stat) => sum + stat.share, 0)),
    });

    const top = await page.locator('[data-testid="top-repos"] tbody tr').allTextContents();
    assert.deepEqual(
      top,
      summary.topRepos.map((repo) => `${repo.name}${fmt(repo.stars)}`),
    );

    const { body: list } = await api<RepoPageJson>(backend.url, '/github/repos/octocat');
    assert.deepEqual(await dash.rows(), expectedRows(list.repos));
    assert.equal(await dash.text('page-range'), `1–30 of ${fmt(list.total)}`);
    assert.equal(await dash.text('page-number'), `Page 1 of ${fmt(Math.ceil(list.total / 30))}`);
    // Avatars cannot be reached here: the initials stand in.
    assert.equal(await page.getByTestId('avatar').textContent(), 'O');
    await dash.screenshot('02-dashboard');
    await dash.screenshot('02-dashboard-first-screen', false);
  });

  void it('should sort the table as the API sorts, from the column headers and the sort list', async () => {
    await dash.open('?user=octocat');
    await dash.waitForProfile('octocat');
    await dash.waitForTableIdle();
    const table = page.getByTestId('repo-table');

    for (const [action, expected] of [
      [() => table.getByRole('button', { name: /^Repository/ }).click(), 'sort=name&direction=asc'],
      [
        () => table.getByRole('button', { name: /^Repository/ }).click(),
        'sort=name&direction=desc',
      ],
      [() => page.getByLabel('Sort by').selectOption('forks'), 'sort=forks&direction=desc'],
      [() => page.getByLabel('Order').selectOption('asc'), 'sort=forks&direction=asc'],
    ] as const) {
      const query = await dash.tableAfter(action);
      assert.equal(`sort=${query.get('sort')}&direction=${query.get('direction')}`, expected);
      assert.equal(query.get('page'), '1');
      const { body } = await api<RepoPageJson>(backend.url, `/github/repos/octocat?${expected}`);
      assert.deepEqual(await dash.rows(), expectedRows(body.repos), expected);
    }
    assert.equal(
      await table.getByRole('columnheader', { name: /Forks/ }).getAttribute('aria-sort'),
      'ascending',
    );
    assert.equal(new URL(page.url()).search, '?user=octocat&sort=forks&direction=asc');
  });

  void it('should page through the table as the API pages', async () => {
    await dash.open('?user=octocat');
    await dash.waitForProfile('octocat');
    await dash.waitForTableIdle();
    const pages = page.getByRole('navigation', { name: 'Repository pages' });
    assert.equal(await pages.getByRole('button', { name: 'Previous' }).isDisabled(), true);

    for (const [button, expectedPage] of [
      ['Next', 2],
      ['Next', 3],
      ['Last page', 42],
      ['Previous', 41],
      ['First page', 1],
    ] as const) {
      const query = await dash.tableAfter(() =>
        pages.getByRole('button', { name: button }).click(),
      );
      assert.equal(query.get('page'), String(expectedPage));
      const { body } = await api<RepoPageJson>(
        backend.url,
        `/github/repos/octocat?page=${expectedPage}`,
      );
      assert.deepEqual(await dash.rows(), expectedRows(body.repos), `page ${expectedPage}`);
      const first = (expectedPage - 1) * 30 + 1;
      assert.equal(
        await dash.text('page-range'),
        `${fmt(first)}–${fmt(Math.min(body.total, first + 29))} of ${fmt(body.total)}`,
      );
      if (expectedPage === 42) {
        assert.equal(body.repos.length, 1234 - 41 * 30);
        assert.equal(await pages.getByRole('button', { name: 'Next' }).isDisabled(), true);
        await dash.screenshot('03-table-last-page');
      }
    }
  });

  void it('should filter the table by language and leave forks out, as the API does', async () => {
    await dash.open('?user=octocat');
    await dash.waitForProfile('octocat');
    await dash.waitForTableIdle();

    await dash.tableAfter(() => page.getByLabel('Language', { exact: true }).selectOption('Go'));
    const query = await dash.tableAfter(() =>
      page.getByRole('checkbox', { name: 'Include forks' }).uncheck(),
    );
    assert.equal(query.get('language'), 'Go');
    assert.equal(query.get('includeForks'), 'false');

    const { body } = await api<RepoPageJson>(
      backend.url,
      '/github/repos/octocat?language=Go&includeForks=false',
    );
    assert.ok(body.total > 0 && body.total < 1234);
    assert.deepEqual(await dash.rows(), expectedRows(body.repos));
    assert.ok((await dash.rows()).every((row) => row.language === 'Go'));
    assert.equal(await dash.text('repo-count'), `${fmt(body.total)} repositories`);
    assert.equal(new URL(page.url()).search, '?user=octocat&language=Go&forks=exclude');
  });

  void it('should open a deep link with its table options', async () => {
    await dash.open('?user=octocat&sort=name&page=3&perPage=10');
    await dash.waitForProfile('octocat');
    await dash.waitForTableIdle();

    const { body } = await api<RepoPageJson>(
      backend.url,
      '/github/repos/octocat?sort=name&page=3&perPage=10',
    );
    assert.deepEqual(await dash.rows(), expectedRows(body.repos));
    assert.equal(await page.getByLabel('Sort by').inputValue(), 'name');
    assert.equal(await page.getByLabel('Per page').inputValue(), '10');
    assert.equal(await dash.text('page-number'), 'Page 3 of 124');
  });

  void it('should be usable from the keyboard alone', async () => {
    await dash.open();
    const searchBox = page.getByRole('searchbox', { name: 'GitHub user or organisation' });
    await searchBox.waitFor();
    await page.keyboard.press('Tab'); // skip link
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Skip to content');
    await page.keyboard.press('Tab'); // home link
    await page.keyboard.press('Tab');
    assert.equal(
      await searchBox.evaluate((element) => element === element.ownerDocument.activeElement),
      true,
    );
    await page.keyboard.type('octocat');
    await page.keyboard.press('Enter');
    await dash.waitForProfile('octocat');
    await dash.waitForTableIdle();

    await page
      .getByTestId('repo-table')
      .getByRole('button', { name: /^Stars/ })
      .focus();
    const query = await dash.tableAfter(() => page.keyboard.press('Enter'));
    assert.equal(query.get('direction'), 'asc');
    const focused = await page.evaluate('document.activeElement?.textContent');
    assert.match(String(focused), /^Stars/);
  });

  void it('should fit a phone-sized screen', async () => {
    await page.close();
    await openTab(backend.url, { width: 390, height: 844 });
    await dash.open('?user=octocat&perPage=10');
    await dash.waitForProfile('octocat');
    await dash.waitForTableIdle();
    await page.locator('.chart-canvas canvas').first().waitFor();

    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    assert.equal(overflow, 0, 'no sideways scrolling');
    await dash.screenshot('04-phone');
    await dash.screenshot('04-phone-first-screen', false);
  });

  void it('should show an organisation', async () => {
    await dash.open('?user=acme');
    await dash.waitForProfile('acme');

    await page.getByText('Organisation', { exact: true }).waitFor();
    assert.equal(await page.getByTestId('followers').count(), 0);
    const { body } = await api<SummaryJson>(backend.url, '/github/users/acme/summary');
    assert.equal(await dash.text('total-repos'), fmt(body.totals.repos));
  });

  void it('should show an account without repositories', async () => {
    await dash.open('?user=ghost');
    await dash.waitForProfile('ghost');
    await dash.waitForTableIdle();

    await page.getByText('No repositories of their own yet.').waitFor();
    await page.getByText('No repositories match these options.').waitFor();
    assert.equal(await dash.text('total-repos'), '0');
  });

  void it('should show avatars from GitHub, which the CSP allows', async () => {
    await page.unroute(AVATARS);
    await page.route(AVATARS, (route) =>
      route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL }),
    );
    await dash.open('?user=octocat');
    await dash.waitForProfile('octocat');

    await page.locator('[data-testid="avatar"][data-state="loaded"]').waitFor();
  });

  void it('should say it is loading while GitHub is slow', async () => {
    gh.addUser('slowpoke', 12);
    gh.setLatency(1500);
    try {
      await dash.open('?user=slowpoke');
      const status = page.getByRole('status').filter({ hasText: "Loading slowpoke's dashboard" });
      await status.waitFor();
      await dash.screenshot('05-loading');
      await dash.waitForProfile('slowpoke');
      assert.equal(await status.count(), 0);
    } finally {
      gh.setLatency(0);
    }
  });

  void it('should say so when the account does not exist', async () => {
    await dash.open();
    await dash.search('nobody-here');

    const alert = page.getByRole('alert');
    await alert.getByRole('heading', { name: 'No account named “nobody-here”' }).waitFor();
    const { status } = await api(backend.url, '/github/users/nobody-here/summary');
    assert.equal(status, 404);
    await dash.screenshot('06-not-found');
  });

  void it('should say GitHub is unavailable, and recover when it answers again', async () => {
    gh.addUser('flaky', 5);
    gh.failNext({ pathPrefix: '/users/flaky', mode: 'server-error', times: Infinity });
    try {
      await dash.open('?user=flaky');
      const alert = page.getByRole('alert');
      await alert.getByRole('heading', { name: 'GitHub is not answering right now' }).waitFor();
      assert.match((await alert.textContent()) ?? '', /\(502\)/);
      assert.equal((await api(backend.url, '/github/users/flaky/summary')).status, 502);
      await dash.screenshot('07-unavailable');
    } finally {
      gh.reset();
    }
    await page.getByRole('button', { name: 'Try again' }).click();
    await dash.waitForProfile('flaky');
  });

  void it('should say when the growth recording of an account started', async () => {
    gh.addUser('grower', 20);
    const history = await recordedHistory(backend.url, 'grower');
    const { body: summary } = await api<SummaryJson>(backend.url, '/github/users/grower/summary');
    assert.equal(history.points.length, 1);
    assert.equal(history.points[0].stars, summary.totals.stars);
    assert.equal(history.points[0].followers, summary.profile.followers);

    await dash.open('?user=grower');
    await dash.waitForProfile('grower');

    const message = page.getByTestId('recording-started');
    await message.waitFor({ timeout: 15_000 });
    assert.equal(
      await message.textContent(),
      `Recording started on ${day(history.points[0].date)}: come back tomorrow for a trend.`,
    );
    await dash.screenshot('10-growth-first-day');
  });

  void it('should weigh the dashboard of an account over the wire, as Chromium fetches it', async (t) => {
    // Chromium's own count of the bytes received (headers and compressed bodies), cache off.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const seen = new Map<string, { url: string; type: string; encoding: string }>();
    const bytes = new Map<string, number>();
    cdp.on('Network.responseReceived', (event) => {
      const headers = Object.fromEntries(
        Object.entries(event.response.headers).map(([name, value]) => [name.toLowerCase(), value]),
      );
      seen.set(event.requestId, {
        url: event.response.url,
        type: event.type,
        encoding: String(headers['content-encoding'] ?? 'identity'),
      });
    });
    cdp.on('Network.loadingFinished', (event) =>
      bytes.set(event.requestId, event.encodedDataLength),
    );

    await dash.open('?user=octocat');
    await dash.waitForProfile('octocat');
    await dash.waitForTableIdle();
    await page.locator('[data-testid="growth"][aria-busy="false"]').waitFor({ timeout: 15_000 });
    await page.locator('.chart-canvas canvas').first().waitFor();
    await page.waitForLoadState('networkidle');

    const own = [...seen].filter(([id, response]) => {
      return response.url.startsWith(backend.url) && bytes.has(id);
    });
    const total = (filter: (type: string) => boolean): number =>
      own
        .filter(([, response]) => filter(response.type))
        .reduce((sum, [id]) => sum + (bytes.get(id) ?? 0), 0);
    const pageBytes = total((type) => type !== 'Fetch' && type !== 'XHR');
    const data = total((type) => type === 'Fetch' || type === 'XHR');
    const assets = own.filter(([, r]) => ['Document', 'Script', 'Stylesheet'].includes(r.type));
    assert.ok(assets.length >= 3, 'the document, its script and its style sheet');
    for (const [, asset] of assets) {
      assert.equal(asset.encoding, 'br', `${asset.url} arrives as brotli`);
    }
    const kB = (n: number): string => (n / 1000).toFixed(1);
    t.diagnostic(
      `${FIGURE}dashboard page weight, /?user=octocat (1,234 repositories) with an empty cache: ` +
        `${kB(pageBytes + data)} kB over the wire in ${own.length} requests ` +
        `(page ${kB(pageBytes)} kB brotli, API answers ${kB(data)} kB)`,
    );
    await cdp.detach();
  });

  void describe("a repository's star history", () => {
    // A backend of its own whose token is the repositories' collaborator, as the operator's own
    // token is for their repositories; GitHub refuses the stargazer list to everyone else, and
    // serves its weekly star history to anyone (where it has it: not for `listed` and `unlisted`,
    // as on GitHub Enterprise Server).
    const TOKEN = 'ghp_browserTestOwner';
    let owned: Backend;
    let starred: string;
    let unlisted: string;
    let listed: string;
    let starredAt: string[];

    before(async () => {
      const repos = gh.addUser('stellar', 12);
      starred = repos[3].name;
      unlisted = repos[4].name;
      listed = repos[5].name;
      // 45 stars over 9 weeks of 2025, oldest first.
      starredAt = Array.from({ length: 45 }, (_, i) =>
        new Date(Date.UTC(2025, 2, 1 + Math.floor(i / 5) * 7, 9, i)).toISOString(),
      );
      gh.setStargazers(`stellar/${starred}`, { starredAt });
      gh.setStargazers(`stellar/${listed}`, { starredAt, collaborators: [TOKEN] });
      for (const name of [listed, unlisted]) {
        gh.failNext({
          pathPrefix: `/repos/stellar/${name.toLowerCase()}/stargazers/history`,
          mode: 'not-found',
          times: Infinity,
        });
      }
      owned = await startBackend(gh.url, { GITHUB_TOKEN: TOKEN });
      // A fresh backend's first answer (its history store opening, code warming up) can take
      // seconds on a loaded machine: pay for it here, not inside a test's waits.
      assert.equal((await api(owned.url, '/github/users/stellar/summary')).status, 200);
    });

    after(async () => {
      await owned?.stop();
    });

    beforeEach(async () => {
      await page.close();
      await openTab(owned.url);
    });

    /** The repository view's heading, once its details have arrived. */
    const waitForRepo = (name: string): Promise<void> =>
      page.getByRole('heading', { level: 1, name: `stellar/${name}` }).waitFor({ timeout: 30_000 });

    void it('should open a repository from the table, with its details and star history, and go Back', async () => {
      await dash.open('?user=stellar&sort=name');
      await dash.waitForProfile('stellar');
      await dash.waitForTableIdle();

      await page
        .getByTestId('repo-table')
        .getByRole('link', { name: starred, exact: true })
        .click();
      await waitForRepo(starred);

      assert.equal(new URL(page.url()).search, `?user=stellar&repo=${starred}&sort=name`);
      const { body: details } = await api<RepoDetailsJson>(
        owned.url,
        `/github/repos/stellar/${starred}`,
      );
      assert.equal(await dash.text('repo-stars'), fmt(details.stars));
      assert.equal(await dash.text('repo-forks'), fmt(details.forks));
      assert.equal(
        await dash.text('repo-license'),
        details.license ? (details.license.spdxId ?? details.license.name) : 'None detected',
      );
      assert.deepEqual(
        await page.locator('[data-testid="repo-languages"] .legend__label').allTextContents(),
        details.languages.map((language) => language.language),
      );

      const source = page.getByTestId('star-history-source');
      await source.waitFor({ timeout: 30_000 });
      const { body: history } = await api<StarHistoryJson>(
        owned.url,
        `/github/repos/stellar/${starred}/star-history`,
      );
      // GitHub's weekly history, day by day (the count at the end of each day), then today.
      const byDay = new Map<string, { stars: number; gained: number }>();
      starredAt.forEach((at, i) =>
        byDay.set(at.slice(0, 10), {
          stars: i + 1,
          gained: (byDay.get(at.slice(0, 10))?.gained ?? 0) + 1,
        }),
      );
      const today = new Date().toISOString().slice(0, 10);
      assert.deepEqual(history, {
        ...history,
        stars: 45,
        source: 'history',
        exact: true,
        interval: 'day',
        since: starredAt[0].slice(0, 10),
        points: [
          ...[...byDay].map(([date, counts]) => ({ date, ...counts })),
          { date: today, stars: 45, gained: 0 },
        ],
      });
      assert.equal(
        await source.textContent(),
        `From GitHub’s star history since ${day(history.since)}`,
      );
      assert.equal(await dash.text('star-history-exact'), 'Exact');
      const rows = await page
        .locator('[data-testid="star-history-table"] tbody tr')
        .allTextContents();
      assert.deepEqual(
        rows,
        history.points.map((point) => `${point.date}${point.stars}${point.gained}`),
      );
      await page.locator('[data-testid="star-history"] .chart-canvas canvas').waitFor();
      await dash.screenshot('11-repository');

      // One point per month: the whole curve in three points (March, April, and today's month).
      await page
        .getByRole('group', { name: 'One point per' })
        .getByRole('button', { name: 'Month' })
        .click();
      await page.getByRole('table', { name: /^Stars by month/ }).waitFor({ state: 'attached' });
      const { body: monthly } = await api<StarHistoryJson>(
        owned.url,
        `/github/repos/stellar/${starred}/star-history?interval=month`,
      );
      assert.equal(monthly.interval, 'month');
      assert.equal(monthly.points.at(-1)?.date, today);
      assert.deepEqual(
        await page.locator('[data-testid="star-history-table"] tbody tr').allTextContents(),
        monthly.points.map((point) => `${point.date}${point.stars}${point.gained}`),
      );
      await page.locator('[data-testid="star-history"] .chart-canvas canvas').waitFor();
      await dash.screenshot('11-repository-by-month');

      await page.getByRole('button', { name: 'Back to stellar’s repositories' }).click();
      await dash.waitForTableIdle();
      assert.equal(new URL(page.url()).search, '?user=stellar&sort=name');

      await page.goForward();
      await waitForRepo(starred);
      await page.goBack();
      await dash.waitForTableIdle();
      assert.equal(new URL(page.url()).search, '?user=stellar&sort=name');
    });

    void it('should open a repository from a deep link, and Back to its table', async () => {
      await dash.open(`?user=stellar&repo=${starred}`);
      await waitForRepo(starred);
      await page.getByTestId('star-history-source').waitFor({ timeout: 30_000 });
      assert.equal(await page.getByTestId('repo-table').count(), 0);

      await page.getByRole('button', { name: 'Back to stellar’s repositories' }).click();
      await dash.waitForTableIdle();
      assert.equal(new URL(page.url()).search, '?user=stellar');
      await dash.waitForProfile('stellar');
    });

    void it('should rebuild the curve from the stargazer list where GitHub has no weekly history and the token may list it', async () => {
      await dash.open(`?user=stellar&repo=${listed}`);
      await waitForRepo(listed);

      const source = page.getByTestId('star-history-source');
      await source.waitFor({ timeout: 30_000 });
      assert.equal(await source.textContent(), 'From GitHub’s stargazer list');
      assert.equal(await dash.text('star-history-exact'), 'Exact');
      const { body: history } = await api<StarHistoryJson>(
        owned.url,
        `/github/repos/stellar/${listed}/star-history`,
      );
      assert.equal(history.source, 'stargazers');
      assert.deepEqual(
        await page.locator('[data-testid="star-history-table"] tbody tr').allTextContents(),
        history.points.map((point) => `${point.date}${point.stars}`),
      );
    });

    void it('should say the service records the stars of a repository whose list GitHub refuses', async () => {
      await dash.open(`?user=stellar&repo=${unlisted}`);
      await waitForRepo(unlisted);

      const source = page.getByTestId('star-history-source');
      await source.waitFor({ timeout: 30_000 });
      const { body: history } = await api<StarHistoryJson>(
        owned.url,
        `/github/repos/stellar/${unlisted}/star-history`,
      );
      assert.equal(history.source, 'snapshots');
      assert.equal(
        await source.textContent(),
        `Recorded by this service since ${day(history.since)}`,
      );
      if (history.points.length === 1) {
        assert.equal(
          await page.getByTestId('recording-started').textContent(),
          `Recording started on ${day(history.points[0].date)}: come back tomorrow for a trend.`,
        );
      }
      await dash.screenshot('12-repository-recorded');
    });
  });

  void describe('when GitHub rate-limits the service', () => {
    // A backend of its own with a token of its own, whose budget is spent for half an hour; the
    // other backends and their anonymous budget are untouched.
    const TOKEN = 'ghp_browserTestSpentBudget';
    let limited: Backend;

    before(async () => {
      gh.setRateLimit({
        limit: 5000,
        remaining: 0,
        resetEpochSeconds: Math.floor(Date.now() / 1000) + 1800,
        authorization: `Bearer ${TOKEN}`,
      });
      // No history here: the scenario is the rate limit, and each embedded store costs a first start.
      limited = await startBackend(gh.url, { GITHUB_TOKEN: TOKEN, HISTORY_ENABLED: 'false' });
    });

    after(async () => {
      await limited?.stop();
    });

    void it('should say when to try again, from Retry-After', async () => {
      await page.close();
      await openTab(limited.url);
      await dash.open('?user=octocat');

      const alert = page.getByRole('alert');
      await alert.getByRole('heading', { name: 'GitHub’s rate limit is used up' }).waitFor();
      const { status, headers, body } = await api<{ retryAfter: number }>(
        limited.url,
        '/github/users/octocat/summary',
      );
      assert.equal(status, 503);
      const retryAfter = Number(headers.get('retry-after'));
      assert.equal(body.retryAfter, retryAfter);
      // The page read the same Retry-After a moment earlier: 30 minutes, or 29 and change.
      const minutes = Math.round(retryAfter / 60);
      assert.match(
        (await alert.textContent()) ?? '',
        new RegExp(
          `Try again in (${minutes}|${minutes + 1}) minutes \\(at \\d{1,2}:\\d{2} [AP]M\\)`,
        ),
      );
      await dash.screenshot('08-rate-limited');
    });
  });

  void describe('when the service answers from its cache past freshness', () => {
    let staleBackend: Backend;

    before(async () => {
      // No history here either: the scenario is the cache past freshness.
      staleBackend = await startBackend(gh.url, {
        CACHE_TTL_SECONDS: '1',
        HISTORY_ENABLED: 'false',
      });
    });

    after(async () => {
      await staleBackend?.stop();
      gh.reset();
    });

    void it('should show the saved data with its age', async () => {
      await page.close();
      await openTab(staleBackend.url);
      await dash.open('?user=octocat');
      await dash.waitForProfile('octocat');
      await dash.waitForTableIdle();
      assert.equal(await page.getByText(/Showing saved data/).count(), 0);

      // Past freshness, and GitHub now failing: the refresh cannot replace the copy.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      gh.failNext({ pathPrefix: '/users/octocat', mode: 'server-error', times: Infinity });
      await page.reload();
      await dash.waitForProfile('octocat');

      const notice = page.getByRole('status').filter({ hasText: 'Showing saved data from' });
      await notice.waitFor();
      assert.match((await notice.textContent()) ?? '', /Showing saved data from \d+ seconds ago\./);
      const { headers } = await api(staleBackend.url, '/github/users/octocat/summary');
      assert.equal(headers.get('x-cache'), 'STALE');
      await dash.screenshot('09-stale');
    });
  });
});
