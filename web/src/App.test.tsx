import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { FakeApi, json, problem } from './test-support/fake-api';
import { NOW, repoPage, summary } from './test-support/fixtures';
import { openAt } from './test-support/page';

describe('App', () => {
  let api: FakeApi;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    api = new FakeApi().install();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('should start with a search box and no request', () => {
    render(<App />);

    expect(screen.getByRole('searchbox', { name: 'GitHub user or organisation' })).toBeTruthy();
    expect(
      screen.getByRole('heading', { name: 'See any GitHub account at a glance' }),
    ).toBeTruthy();
    expect(api.requests).toEqual([]);
  });

  it('should load the account typed into the search box and put it in the address bar', async () => {
    const user = userEvent.setup();
    render(<App />);

    await user.type(screen.getByRole('searchbox'), 'octocat{Enter}');

    expect(await screen.findByRole('heading', { level: 1, name: 'The Octocat' })).toBeTruthy();
    expect(window.location.search).toBe('?user=octocat');
    await screen.findByTestId('growth-legend');
    expect(api.requests.map((url) => url.pathname)).toEqual([
      '/github/users/octocat/summary',
      '/github/repos/octocat',
      '/github/users/octocat/history',
    ]);
  });

  it('should open the account of a deep link at once', async () => {
    openAt('?user=octocat&sort=name&page=2');
    render(<App />);

    expect(await screen.findByRole('heading', { level: 1, name: 'The Octocat' })).toBeTruthy();
    expect(api.lastRepoRequest()).toMatchObject({ sort: 'name', direction: 'asc', page: '2' });
  });

  it('should show the profile and the totals of the summary', async () => {
    openAt('?user=octocat');
    render(<App />);

    await screen.findByRole('heading', { level: 1, name: 'The Octocat' });
    expect(screen.getByTestId('followers').textContent).toBe('21,500');
    expect(screen.getByTestId('public-repos').textContent).toBe('75');
    expect(screen.getByTestId('account-age').textContent).toBe('15 years');
    expect(screen.getByTestId('total-repos').textContent).toBe('75');
    expect(screen.getByTestId('total-stars').textContent).toBe('12,345');
    expect(screen.getByTestId('total-forks').textContent).toBe('678');
    expect(screen.getByText('Mascot of a code host.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'github.blog' }).getAttribute('href')).toBe(
      'https://github.blog',
    );
  });

  it('should show the language shares and the most starred repositories as text', async () => {
    openAt('?user=octocat');
    render(<App />);

    const legend = await screen.findByTestId('language-legend');
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['TypeScript44.1%30 repos', 'Go36.8%25 repos', 'No language19.1%13 repos']);
    const top = screen.getByTestId('top-repos');
    expect(
      within(top)
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent),
    ).toEqual(['repo-1', 'repo-2', 'repo-3', 'repo-4', 'repo-5']);
  });

  it('should say it is loading until the summary arrives', async () => {
    let answer: (response: Response) => void = () => undefined;
    api.summary = () => new Promise((resolve) => (answer = resolve));
    openAt('?user=octocat');
    render(<App />);

    expect(screen.getByRole('status').textContent).toContain("Loading octocat's dashboard");
    answer(json(summary()));
    expect(await screen.findByRole('heading', { level: 1, name: 'The Octocat' })).toBeTruthy();
    expect(screen.queryByText(/Loading octocat's dashboard/)).toBeNull();
  });

  it('should say so when the account does not exist', async () => {
    api.summary = () => problem(404, 'GitHub has no user nobody-here');
    api.repos = () => problem(404, 'GitHub has no user nobody-here');
    openAt('?user=nobody-here');
    render(<App />);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading').textContent).toBe('No account named “nobody-here”');
    expect(within(alert).queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('should say when to try again after a rate limit, from Retry-After', async () => {
    api.summary = () =>
      problem(503, 'rate limited', { 'retry-after': '1800' }, { retryAfter: 1800 });
    openAt('?user=octocat');
    render(<App />);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading').textContent).toBe('GitHub’s rate limit is used up');
    expect(alert.textContent).toContain('Try again in 30 minutes (at 12:30 PM).');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it("should take the retry time from the body's retryAfter when the header is missing", async () => {
    api.summary = () => problem(503, 'rate limited', {}, { retryAfter: 120 });
    openAt('?user=octocat');
    render(<App />);

    expect((await screen.findByRole('alert')).textContent).toContain('Try again in 2 minutes');
  });

  it.each([
    [502, 'GitHub answered with an error, even after the service retried (502).'],
    [504, 'GitHub did not answer in time (504).'],
  ])(
    'should say GitHub is unavailable on a %d and load again on request',
    async (status, reason) => {
      const user = userEvent.setup();
      api.summary = () => problem(status, 'upstream failed');
      openAt('?user=octocat');
      render(<App />);

      const alert = await screen.findByRole('alert');
      expect(within(alert).getByRole('heading').textContent).toBe(
        'GitHub is not answering right now',
      );
      expect(alert.textContent).toContain(reason);

      api.summary = () => json(summary());
      await user.click(within(alert).getByRole('button', { name: 'Try again' }));
      expect(await screen.findByRole('heading', { level: 1, name: 'The Octocat' })).toBeTruthy();
    },
  );

  it('should say the service is unreachable when fetch itself fails', async () => {
    api.summary = () => Promise.reject(new TypeError('Failed to fetch'));
    openAt('?user=octocat');
    render(<App />);

    expect((await screen.findByRole('alert')).textContent).toContain(
      'The dashboard service could not be reached.',
    );
  });

  it('should show stale data with its age', async () => {
    const fiveMinutesAgo = new Date(NOW.getTime() - 5 * 60_000).toISOString();
    api.summary = () => json(summary({ fetchedAt: fiveMinutesAgo }), { 'x-cache': 'STALE' });
    openAt('?user=octocat');
    render(<App />);

    await screen.findByRole('heading', { level: 1, name: 'The Octocat' });
    const notice = screen.getByText(/Showing saved data from/).closest('[role="status"]');
    expect(notice?.textContent).toContain('Showing saved data from 5 minutes ago.');
    expect(within(notice as HTMLElement).getByRole('button', { name: 'Check again' })).toBeTruthy();
  });

  it('should say in plain words when the account was read only in part', async () => {
    const coverage = 'first 10,000 of 104,326 repositories, most recently pushed first';
    api.summary = () => json(summary({ complete: false, publicRepos: 104_326, coverage }));
    api.repos = (url) =>
      json({ ...repoPage(url, 10_000), complete: false, publicRepos: 104_326, coverage });
    openAt('?user=octocat');
    render(<App />);

    await screen.findByRole('heading', { level: 1, name: 'The Octocat' });
    expect(screen.getByTestId('coverage-note').textContent).toContain(
      'totals, charts and the table cover the first 10,000 of 104,326 repositories, most recently pushed first.',
    );
    expect((await screen.findByTestId('repo-count')).textContent).toBe(
      '10,000 repositories, from the first 10,000 of 104,326 repositories, most recently pushed first',
    );
  });

  it('should not speak of a partial account when every repository was read', async () => {
    openAt('?user=octocat');
    render(<App />);

    await screen.findByRole('heading', { level: 1, name: 'The Octocat' });
    expect(screen.queryByTestId('coverage-note')).toBeNull();
    expect((await screen.findByTestId('repo-count')).textContent).toBe('75 repositories');
  });

  it('should show only a quiet age when the data is fresh', async () => {
    openAt('?user=octocat');
    render(<App />);

    await screen.findByRole('heading', { level: 1, name: 'The Octocat' });
    expect(screen.queryByText(/Showing saved data/)).toBeNull();
    expect(screen.getByText(/^Updated/, { selector: 'p' }).textContent).toBe('Updated now');
  });

  it('should refuse a login GitHub would not accept without asking the API', async () => {
    const user = userEvent.setup();
    render(<App />);

    await user.type(screen.getByRole('searchbox'), '-bad-{Enter}');

    expect(screen.getByRole('alert').textContent).toContain(
      '1–39 letters, digits or single hyphens',
    );
    expect(screen.getByRole('searchbox').getAttribute('aria-invalid')).toBe('true');
    expect(api.requests).toEqual([]);
  });

  it('should show initials when the avatar cannot be loaded', async () => {
    openAt('?user=octocat');
    render(<App />);

    await screen.findByRole('heading', { level: 1, name: 'The Octocat' });
    const avatar = screen.getByTestId('avatar');
    fireEvent.error(within(avatar).getByRole('img'));

    await waitFor(() => expect(avatar.getAttribute('data-state')).toBe('failed'));
    expect(within(avatar).queryByRole('img')).toBeNull();
    expect(avatar.textContent).toBe('TO');
  });

  it("should never show the previous account's repositories under a new profile", async () => {
    const user = userEvent.setup();
    openAt('?user=octocat');
    render(<App />);
    await screen.findByRole('link', { name: 'repo-1' });
    api.summary = () =>
      json(summary({ profile: { ...summary().profile, login: 'hubot', name: 'Hubot' } }));
    api.repos = () => new Promise<Response>(() => undefined);

    await user.clear(screen.getByRole('searchbox'));
    await user.type(screen.getByRole('searchbox'), 'hubot{Enter}');

    await screen.findByRole('heading', { level: 1, name: 'Hubot' });
    expect(screen.queryByRole('link', { name: 'repo-1' })).toBeNull();
    expect(screen.getByText('Loading repositories…')).toBeTruthy();
    expect(document.title).toBe('hubot · GitHub Dashboard');
  });

  it('should return to the previous account with Back', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.type(screen.getByRole('searchbox'), 'octocat{Enter}');
    await screen.findByRole('heading', { level: 1, name: 'The Octocat' });
    api.summary = () =>
      json(summary({ profile: { ...summary().profile, login: 'hubot', name: 'Hubot' } }));
    await user.clear(screen.getByRole('searchbox'));
    await user.type(screen.getByRole('searchbox'), 'hubot{Enter}');
    await screen.findByRole('heading', { level: 1, name: 'Hubot' });

    api.summary = () => json(summary());
    window.history.back();

    expect(await screen.findByRole('heading', { level: 1, name: 'The Octocat' })).toBeTruthy();
    expect(window.location.search).toBe('?user=octocat');
  });
});
