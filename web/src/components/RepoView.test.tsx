import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { FakeApi, json, problem } from '../test-support/fake-api';
import { openAt, useFakeApi } from '../test-support/page';
import { repoDetails, starHistory } from '../test-support/fixtures';

/** The page's own requests, by path, in order. */
function paths(api: FakeApi): string[] {
  return api.requests.map((url) => url.pathname);
}

describe('RepoView', () => {
  const fakeApi = useFakeApi();
  let api: FakeApi;

  beforeEach(() => {
    api = fakeApi();
  });

  it('should open a repository clicked in the table, with its details', async () => {
    const user = userEvent.setup();
    openAt('?user=octocat&sort=name');
    render(<App />);

    const table = await screen.findByTestId('repo-table');
    await user.click(within(table).getByRole('link', { name: 'repo-1' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'octocat/repo-1' })).toBeTruthy();
    expect(window.location.search).toBe('?user=octocat&repo=repo-1&sort=name');
    expect(screen.queryByTestId('repo-table')).toBeNull();
    expect(paths(api)).toContain('/github/repos/octocat/repo-1');
    expect(screen.getByTestId('repo-stars').textContent).toBe('999');
    expect(screen.getByTestId('repo-forks').textContent).toBe('99');
    expect(screen.getByTestId('repo-open-issues').textContent).toBe('4');
    expect(screen.getByTestId('repo-license').textContent).toBe('MIT');
    expect(screen.getByTestId('repo-created').textContent).toBe('Jan 1, 2020');
    expect(screen.getByTestId('repo-pushed').textContent).toBe('Nov 19, 2026');
    expect(
      within(screen.getByTestId('repo-topics'))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['api', 'dashboard']);
    expect(
      within(screen.getByTestId('repo-languages'))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['TypeScript80.0%1.2 MB', 'Shell20.0%300 kB']);
    expect(screen.getByRole('link', { name: 'View on GitHub' }).getAttribute('href')).toBe(
      'https://github.com/octocat/repo-1',
    );
    expect(document.title).toBe('octocat/repo-1 · GitHub Dashboard');
  });

  it('should link each repository of the table to its view, so it opens in a new tab too', async () => {
    openAt('?user=octocat');
    render(<App />);

    const table = await screen.findByTestId('repo-table');

    expect(within(table).getByRole('link', { name: 'repo-2' }).getAttribute('href')).toBe(
      '/?user=octocat&repo=repo-2',
    );
  });

  it('should open the repository of a deep link at once', async () => {
    openAt('?user=octocat&repo=repo-7');
    render(<App />);

    expect(await screen.findByRole('heading', { level: 1, name: 'octocat/repo-7' })).toBeTruthy();
    expect(paths(api)).toEqual(
      expect.arrayContaining([
        '/github/repos/octocat/repo-7',
        '/github/repos/octocat/repo-7/star-history',
      ]),
    );
    expect(screen.queryByTestId('repo-table')).toBeNull();
  });

  it("should chart the star history read from GitHub's stargazer list, and say so", async () => {
    openAt('?user=octocat&repo=repo-1');
    render(<App />);

    const source = await screen.findByTestId('star-history-source');
    expect(source.textContent).toBe('From GitHub’s stargazer list');
    const rows = within(screen.getByTestId('star-history-table')).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual([
      'DayStars',
      '2020-01-021',
      '2023-06-30400',
      '2026-11-26999',
    ]);
    expect(screen.getByTestId('star-history-stars').textContent).toBe(
      'Stars999+998 since Jan 2, 2020',
    );
  });

  it("should chart GitHub's star history since the first star, say it is exact, and show the stars gained", async () => {
    api.starHistory = () =>
      json(
        starHistory({
          source: 'history',
          since: '2017-03-16',
          points: [
            { date: '2017-03-16', stars: 3, gained: 3 },
            { date: '2021-06-01', stars: 43, gained: 40 },
            { date: '2026-11-26', stars: 999, gained: 0 },
          ],
        }),
      );
    openAt('?user=octocat&repo=repo-1');
    render(<App />);

    const source = await screen.findByTestId('star-history-source');
    expect(source.textContent).toBe('From GitHub’s star history since Mar 16, 2017');
    expect(screen.getByTestId('star-history-exact').textContent).toBe('Exact');
    const rows = within(screen.getByTestId('star-history-table')).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual([
      'DayStarsGained',
      '2017-03-1633',
      '2021-06-014340',
      '2026-11-269990',
    ]);
    expect(screen.getByTestId('star-history-gained').textContent).toBe(
      'Gained043 since Mar 16, 2017',
    );
    expect(screen.queryByTestId('star-history-losses')).toBeNull();
  });

  it("should say when GitHub's star history does not add up to today's count", async () => {
    api.starHistory = () => json(starHistory({ source: 'history', exact: false, stars: 1_005 }));
    openAt('?user=octocat&repo=repo-1');
    render(<App />);

    expect((await screen.findByTestId('star-history-exact')).textContent).toBe(
      'Approximate: GitHub’s days do not add up to today’s 1,005',
    );
  });

  it('should chart the stars lost on days recorded back to back, saying it is a lower bound', async () => {
    api.starHistory = () =>
      json(
        starHistory({
          source: 'history',
          points: [
            { date: '2026-11-20', stars: 50, gained: 0, lost: 0, lostKind: 'lower-bound' },
            { date: '2026-11-21', stars: 52, gained: 5, lost: 3, lostKind: 'lower-bound' },
          ],
        }),
      );
    openAt('?user=octocat&repo=repo-1');
    render(<App />);

    const losses = await screen.findByTestId('star-history-losses');
    expect(losses.textContent).toBe(
      'Lost at least 3 stars on the days recorded back to back (2); GitHub counts only the stars still held.',
    );
    const rows = within(screen.getByTestId('star-history-table')).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual([
      'DayStarsGainedLost',
      '2026-11-205000',
      '2026-11-215253',
    ]);
    expect(screen.getByTestId('star-history-lost').textContent).toBe('Lost33 since Nov 20, 2026');
  });

  it('should ask for one point per week or month when switched, and back to days', async () => {
    const user = userEvent.setup();
    api.starHistory = (url) => {
      const interval = (url.searchParams.get('interval') ?? 'day') as 'day' | 'week' | 'month';
      return json(starHistory({ source: 'history', interval }));
    };
    openAt('?user=octocat&repo=repo-1');
    render(<App />);
    const group = await screen.findByRole('group', { name: 'One point per' });
    const starRequests = () =>
      api.requests.filter((url) => url.pathname.endsWith('/star-history')).map((url) => url.search);

    await user.click(within(group).getByRole('button', { name: 'Week' }));
    await waitFor(() => expect(screen.getByRole('table', { name: /^Stars by week/ })).toBeTruthy());
    await user.click(within(group).getByRole('button', { name: 'Month' }));
    await waitFor(() =>
      expect(screen.getByRole('table', { name: /^Stars by month/ })).toBeTruthy(),
    );
    await user.click(within(group).getByRole('button', { name: 'Day' }));

    await waitFor(() =>
      expect(starRequests()).toEqual(['', '?interval=week', '?interval=month', '']),
    );
    expect(within(group).getByRole('button', { name: 'Day' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(within(group).getByRole('button', { name: 'Week' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
    expect(await screen.findByRole('table', { name: /^Stars by day/ })).toBeTruthy();
  });

  it('should say when the stargazer list was sampled', async () => {
    api.starHistory = () => json(starHistory({ exact: false }));
    openAt('?user=octocat&repo=repo-1');
    render(<App />);

    const source = await screen.findByTestId('star-history-source');
    expect(source.textContent).toMatch(/^From GitHub’s stargazer list, sampled/);
  });

  it('should say since when the service recorded the stars it could not read from GitHub', async () => {
    api.starHistory = () =>
      json(
        starHistory({
          source: 'snapshots',
          since: '2026-11-20',
          points: [
            { date: '2026-11-20', stars: 990 },
            { date: '2026-11-26', stars: 999 },
          ],
        }),
      );
    openAt('?user=octocat&repo=repo-1');
    render(<App />);

    const source = await screen.findByTestId('star-history-source');
    expect(source.textContent).toBe('Recorded by this service since Nov 20, 2026');
    expect(within(screen.getByTestId('star-history-table')).getAllByRole('row')).toHaveLength(3);
  });

  it('should say recording started when the service has recorded one day of stars', async () => {
    api.starHistory = () =>
      json(
        starHistory({
          source: 'snapshots',
          since: '2026-11-26',
          points: [{ date: '2026-11-26', stars: 999 }],
        }),
      );
    openAt('?user=octocat&repo=repo-1');
    render(<App />);

    const message = await screen.findByTestId('recording-started');
    expect(message.textContent).toBe(
      'Recording started on Nov 26, 2026: come back tomorrow for a trend.',
    );
    expect(screen.queryByTestId('star-history-table')).toBeNull();
  });

  it('should say no licence was detected when GitHub has none', async () => {
    api.repoDetails = () => json(repoDetails({ license: null, topics: [], pushedAt: null }));
    openAt('?user=octocat&repo=repo-1');
    render(<App />);

    expect((await screen.findByTestId('repo-license')).textContent).toBe('None detected');
    expect(screen.getByTestId('repo-pushed').textContent).toBe('Never');
    expect(screen.queryByTestId('repo-topics')).toBeNull();
  });

  it('should keep the details when the star history is unavailable', async () => {
    api.starHistory = () => problem(503, 'The history database is not reachable');
    openAt('?user=octocat&repo=repo-1');
    render(<App />);

    expect((await screen.findByTestId('star-history-unavailable')).textContent).toBe(
      'Star history is unavailable right now.',
    );
    expect(await screen.findByTestId('repo-languages')).toBeTruthy();
  });

  it('should say so when the repository does not exist', async () => {
    api.repoDetails = () => problem(404, 'GitHub has no repository octocat/nope');
    openAt('?user=octocat&repo=nope');
    render(<App />);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading').textContent).toBe(
      'No repository named “octocat/nope”',
    );
  });

  it('should return to the table as it was with the Back button, as the browser does', async () => {
    const user = userEvent.setup();
    openAt('?user=octocat&sort=name');
    render(<App />);
    const table = await screen.findByTestId('repo-table');
    await user.click(within(table).getByRole('link', { name: 'repo-1' }));
    await screen.findByRole('heading', { level: 1, name: 'octocat/repo-1' });
    const entries = window.history.length;

    await user.click(screen.getByRole('button', { name: /Back to octocat’s repositories/ }));

    expect(await screen.findByTestId('repo-table')).toBeTruthy();
    await waitFor(() => expect(window.location.search).toBe('?user=octocat&sort=name'));
    expect(window.history.length).toBe(entries);
    expect(api.lastRepoRequest()).toMatchObject({ sort: 'name' });
  });

  it("should return to the table with the browser's Back", async () => {
    const user = userEvent.setup();
    openAt('?user=octocat');
    render(<App />);
    const table = await screen.findByTestId('repo-table');
    await user.click(within(table).getByRole('link', { name: 'repo-3' }));
    await screen.findByRole('heading', { level: 1, name: 'octocat/repo-3' });

    window.history.back();

    expect(await screen.findByTestId('repo-table')).toBeTruthy();
    expect(window.location.search).toBe('?user=octocat');
    expect(screen.queryByRole('heading', { level: 1, name: 'octocat/repo-3' })).toBeNull();
  });

  it('should open the table from a deep link with the Back button', async () => {
    const user = userEvent.setup();
    openAt('?user=octocat&repo=repo-1&perPage=10');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'octocat/repo-1' });

    await user.click(screen.getByRole('button', { name: /Back to octocat’s repositories/ }));

    expect(await screen.findByTestId('repo-table')).toBeTruthy();
    expect(window.location.search).toBe('?user=octocat&perPage=10');
    expect(api.lastRepoRequest()).toMatchObject({ perPage: '10' });
  });
});
