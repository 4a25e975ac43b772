import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { FakeApi, json, problem } from '../test-support/fake-api';
import { NOW, repoPage } from '../test-support/fixtures';

/** The table as a reader finds it, after the dashboard of `search` has loaded. */
async function openTable(search = '?user=octocat') {
  window.history.replaceState(null, '', `/${search}`);
  render(<App />);
  const table = await screen.findByTestId('repo-table');
  return { table, section: table.closest('section') as HTMLElement };
}

function rowNames(table: HTMLElement): string[] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('link')[0].textContent ?? '');
}

describe('RepoTable', () => {
  let api: FakeApi;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    api = new FakeApi().install();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('should ask the API for the first page by stars, most first, forks included', async () => {
    const { table } = await openTable();

    expect(api.lastRepoRequest()).toEqual({
      sort: 'stars',
      direction: 'desc',
      includeForks: 'true',
      page: '1',
      perPage: '30',
    });
    expect(rowNames(table)).toHaveLength(30);
    expect(rowNames(table)[0]).toBe('repo-1');
    expect(screen.getByTestId('page-range').textContent).toBe('1–30 of 75');
    expect(screen.getByTestId('page-number').textContent).toBe('Page 1 of 3');
    expect(
      within(table).getByRole('columnheader', { name: /Stars/ }).getAttribute('aria-sort'),
    ).toBe('descending');
  });

  it('should turn the direction round when the sorted column is clicked again', async () => {
    const user = userEvent.setup();
    const { table } = await openTable();

    await user.click(within(table).getByRole('button', { name: /^Stars/ }));

    expect(api.lastRepoRequest()).toMatchObject({ sort: 'stars', direction: 'asc', page: '1' });
    expect(
      within(table).getByRole('columnheader', { name: /Stars/ }).getAttribute('aria-sort'),
    ).toBe('ascending');
    expect(window.location.search).toBe('?user=octocat&direction=asc');
  });

  it("should sort by another column in that column's own default direction", async () => {
    const user = userEvent.setup();
    const { table } = await openTable();

    await user.click(within(table).getByRole('button', { name: /^Repository/ }));
    expect(api.lastRepoRequest()).toMatchObject({ sort: 'name', direction: 'asc' });

    await user.click(within(table).getByRole('button', { name: /^Updated/ }));
    expect(api.lastRepoRequest()).toMatchObject({ sort: 'updated', direction: 'desc' });
    expect(
      within(table).getByRole('columnheader', { name: /Stars/ }).getAttribute('aria-sort'),
    ).toBeNull();
  });

  it('should sort by what the sort list offers, with the order labelled for it', async () => {
    const user = userEvent.setup();
    const { section } = await openTable();

    await user.selectOptions(within(section).getByLabelText('Sort by'), 'Last pushed');
    expect(api.lastRepoRequest()).toMatchObject({ sort: 'pushed', direction: 'desc' });
    const order = within(section).getByLabelText('Order') as HTMLSelectElement;
    expect(order.selectedOptions[0].textContent).toBe('Newest first');

    await user.selectOptions(order, 'Oldest first');
    expect(api.lastRepoRequest()).toMatchObject({ sort: 'pushed', direction: 'asc' });
  });

  it('should filter by a language of the summary, or by none', async () => {
    const user = userEvent.setup();
    const { section } = await openTable();
    const language = within(section).getByLabelText('Language') as HTMLSelectElement;

    expect([...language.options].map((option) => option.textContent)).toEqual([
      'All languages',
      'Go',
      'TypeScript',
      'No language',
    ]);
    await user.selectOptions(language, 'Go');
    expect(api.lastRepoRequest()).toMatchObject({ language: 'Go', page: '1' });

    await user.selectOptions(language, 'No language');
    expect(api.lastRepoRequest()).toMatchObject({ language: 'none' });

    await user.selectOptions(language, 'All languages');
    expect(api.lastRepoRequest().language).toBeUndefined();
  });

  it('should leave forks out when the box is unticked', async () => {
    const user = userEvent.setup();
    const { section } = await openTable();

    await user.click(within(section).getByRole('checkbox', { name: 'Include forks' }));

    expect(api.lastRepoRequest()).toMatchObject({ includeForks: 'false' });
    expect(window.location.search).toBe('?user=octocat&forks=exclude');
  });

  it('should page forwards and backwards, and stop at either end', async () => {
    const user = userEvent.setup();
    const { table, section } = await openTable();
    const pages = within(section).getByRole('navigation', { name: 'Repository pages' });
    const button = (name: string) => within(pages).getByRole('button', { name });

    expect((button('Previous') as HTMLButtonElement).disabled).toBe(true);
    expect((button('First page') as HTMLButtonElement).disabled).toBe(true);

    await user.click(button('Next'));
    expect(api.lastRepoRequest()).toMatchObject({ page: '2' });
    expect(await within(table).findByRole('link', { name: 'repo-31' })).toBeTruthy();
    expect(screen.getByTestId('page-range').textContent).toBe('31–60 of 75');

    await user.click(button('Last page'));
    expect(api.lastRepoRequest()).toMatchObject({ page: '3' });
    expect(await within(table).findByRole('link', { name: 'repo-61' })).toBeTruthy();
    expect(rowNames(table)).toHaveLength(15);
    expect((button('Next') as HTMLButtonElement).disabled).toBe(true);

    await user.click(button('Previous'));
    expect(api.lastRepoRequest()).toMatchObject({ page: '2' });
    expect(window.location.search).toBe('?user=octocat&page=2');
  });

  it('should go back to page 1 when the sort, filter or page size changes', async () => {
    const user = userEvent.setup();
    const { section } = await openTable('?user=octocat&page=3');

    await user.selectOptions(within(section).getByLabelText('Per page'), '10');

    expect(api.lastRepoRequest()).toMatchObject({ page: '1', perPage: '10' });
    expect(await screen.findByText('Page 1 of 8')).toBeTruthy();
  });

  it('should keep the current rows, marked busy, while the next page loads', async () => {
    const user = userEvent.setup();
    const { table, section } = await openTable();
    let answer: (response: Response) => void = () => undefined;
    api.repos = () => new Promise((resolve) => (answer = resolve));

    await user.click(within(section).getByRole('button', { name: 'Next' }));

    expect(table.closest('[aria-busy]')?.getAttribute('aria-busy')).toBe('true');
    expect(rowNames(table)[0]).toBe('repo-1');
    answer(json(repoPage(new URL('http://x/?page=2'))));
    expect(await within(table).findByRole('link', { name: 'repo-31' })).toBeTruthy();
    expect(table.closest('[aria-busy]')?.getAttribute('aria-busy')).toBe('false');
  });

  it('should say so in the table when only the list fails', async () => {
    api.repos = () => problem(503, 'rate limited', { 'retry-after': '60' });
    window.history.replaceState(null, '', '/?user=octocat');
    render(<App />);

    await screen.findByRole('heading', { level: 1, name: 'The Octocat' });
    const section = screen.getByRole('region', { name: 'Repositories' });
    const alert = await within(section).findByRole('alert');
    expect(alert.textContent).toContain('Try again in 1 minute');
    expect(screen.getByTestId('total-stars').textContent).toBe('12,345');
  });

  it('should say when no repository matches', async () => {
    api.repos = (url) => json(repoPage(url, 0));
    await openTable();

    expect(screen.getByText('No repositories match these options.')).toBeTruthy();
    expect(screen.getByTestId('page-range').textContent).toBe('No repositories');
  });
});
