import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './backend';

export const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'screenshots');

/** Numbers as the page writes them (en-US, grouped), formatted here independently. */
export const fmt = (n: number): string => new Intl.NumberFormat('en-US').format(n);
export const pct = (share: number): string =>
  new Intl.NumberFormat('en-US', {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(share);

export interface Row {
  name: string;
  stars: string;
  forks: string;
  language: string;
}

/** What a reader of the dashboard does and sees, in one place for every test. */
export class DashboardPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(search = ''): Promise<void> {
    await this.page.goto(`${this.baseUrl}/${search}`);
  }

  async search(login: string): Promise<void> {
    const box = this.page.getByRole('searchbox', { name: 'GitHub user or organisation' });
    await box.fill(login);
    await box.press('Enter');
  }

  /**
   * The profile heading, once the summary has arrived. A fresh backend's first view of a large
   * account also writes its history snapshot (the embedded store runs in the backend's process),
   * which on a loaded 2-core machine has taken past 15 s: hence 30.
   */
  async waitForProfile(name: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 30_000 });
  }

  /**
   * Runs `action` and waits for the list request it causes and for the table to show its answer;
   * returns the query the page sent, for the test to ask the API the same question.
   */
  async tableAfter(action: () => Promise<unknown>): Promise<URLSearchParams> {
    const response = this.page.waitForResponse((r) => r.url().includes('/github/repos/'));
    await action();
    const url = new URL((await response).url());
    await this.waitForTableIdle();
    return url.searchParams;
  }

  async waitForTableIdle(): Promise<void> {
    await this.page.locator('.table-wrap[aria-busy="false"]').waitFor({ timeout: 15_000 });
  }

  async rows(): Promise<Row[]> {
    const column = (selector: string): Promise<string[]> =>
      this.page.locator(`[data-testid="repo-table"] tbody ${selector}`).allTextContents();
    const [names, languages, stars, forks] = await Promise.all([
      column('td.repo a.repo__name'),
      column('td:nth-child(2)'),
      column('td:nth-child(3)'),
      column('td:nth-child(4)'),
    ]);
    return names.map((name, i) => ({
      name,
      language: languages[i].trim(),
      stars: stars[i].trim(),
      forks: forks[i].trim(),
    }));
  }

  async text(testId: string): Promise<string> {
    return ((await this.page.getByTestId(testId).textContent()) ?? '').trim();
  }

  async screenshot(name: string, fullPage = true): Promise<string> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path, fullPage });
    return path;
  }
}

/** Rows as the page would show the API's repositories. */
export function expectedRows(
  repos: { name: string; stars: number; forks: number; language: string | null }[],
): Row[] {
  return repos.map((repo) => ({
    name: repo.name,
    stars: fmt(repo.stars),
    forks: fmt(repo.forks),
    language: repo.language ?? '—',
  }));
}
