import { render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { FakeApi, json, problem } from '../test-support/fake-api';
import { openAt, useFakeApi } from '../test-support/page';
import { accountHistory, profile, summary } from '../test-support/fixtures';

describe('GrowthSection', () => {
  const fakeApi = useFakeApi();
  let api: FakeApi;

  beforeEach(() => {
    api = fakeApi();
    openAt('?user=octocat');
  });

  it('should ask for 90 days of history once the summary has arrived', async () => {
    render(<App />);

    await screen.findByTestId('growth-legend');
    const paths = api.requests.map((url) => url.pathname);
    expect(paths.indexOf('/github/users/octocat/history')).toBeGreaterThan(
      paths.indexOf('/github/users/octocat/summary'),
    );
    const history = api.requests.find((url) => url.pathname.endsWith('/history'))!;
    expect(history.search).toBe('?days=90');
  });

  it('should chart stars and followers, with each latest value and change as text', async () => {
    render(<App />);

    const legend = await screen.findByTestId('growth-legend');
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Stars12,345+20 since Nov 22, 2026', 'Followers21,500+8 since Nov 22, 2026']);
    const rows = within(screen.getByTestId('growth-table')).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual([
      'DayStarsFollowers',
      '2026-11-221232521492',
      '2026-11-231233021494',
      '2026-11-241233521496',
      '2026-11-251234021498',
      '2026-11-261234521500',
    ]);
    expect(screen.queryByTestId('recording-started')).toBeNull();
  });

  it('should leave a day without a recorded count blank, and count the change from the first recorded one', async () => {
    const history = accountHistory(3);
    history.points[0].followers = null;
    history.points[1].stars = null;
    api.history = () => json(history);
    render(<App />);

    const rows = within(await screen.findByTestId('growth-table')).getAllByRole('row');
    expect(rows.slice(1).map((row) => row.textContent)).toEqual([
      '2026-11-2412335—',
      '2026-11-25—21498',
      '2026-11-261234521500',
    ]);
    expect(screen.getByTestId('growth-followers').textContent).toBe(
      'Followers21,500+2 since Nov 25, 2026',
    );
    expect(screen.getByTestId('growth-stars').textContent).toBe(
      'Stars12,345+10 since Nov 24, 2026',
    );
  });

  it('should chart only the stars of an organisation', async () => {
    api.summary = () => json(summary({ profile: profile({ type: 'Organization' }) }));
    render(<App />);

    const legend = await screen.findByTestId('growth-legend');
    expect(within(legend).getAllByRole('listitem')).toHaveLength(1);
    expect(within(legend).getByText('Stars')).toBeTruthy();
  });

  it('should say when recording started instead of drawing one day', async () => {
    api.history = () => json(accountHistory(1));
    render(<App />);

    const message = await screen.findByTestId('recording-started');
    expect(message.textContent).toBe(
      'Recording started on Nov 26, 2026: come back tomorrow for a trend.',
    );
    expect(screen.queryByTestId('growth-table')).toBeNull();
    expect(screen.queryByTestId('growth-legend')).toBeNull();
  });

  it('should say history is unavailable when the history store is down, and keep the rest', async () => {
    api.history = () => problem(503, 'The history database is not reachable');
    render(<App />);

    const growth = await screen.findByTestId('growth-unavailable');
    expect(growth.textContent).toContain('History is unavailable right now');
    expect(screen.getByRole('heading', { level: 1, name: 'The Octocat' })).toBeTruthy();
    expect(screen.getByTestId('total-stars').textContent).toBe('12,345');
    expect(await screen.findByTestId('repo-table')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
