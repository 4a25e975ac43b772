import { FakeGithub, GithubRepoJson } from './';
import { MAX_HISTORY_PAGES, StargazerHistoryWeek, weekStartMs } from './stargazer-history';
import { ResponseContract } from '../support/github-description/response-contract';
import { RawResponse, rawGet } from '../support/raw-get';

const UA = { 'user-agent': 'star-history-fake', 'x-github-api-version': '2026-03-10' };
const TOKEN = { authorization: 'Bearer ghp_plainReader' };
const DAY_MS = 86_400_000;

/** `count` stars from `from`, one every `everyHours` hours, oldest first, as GitHub writes them. */
function stars(from: string, count: number, everyHours: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.parse(from) + i * everyHours * 3_600_000).toISOString().replace('.000Z', 'Z'),
  );
}

/**
 * The fake's `GET /repos/{owner}/{repo}/stargazers/history` (GitHub changelog 2026-09-04): what the
 * star history e2e files rely on, derived from the same stargazer list the list endpoint serves,
 * and checked against the shape description-gaps.ts adds to GitHub's description.
 */
describe('FakeGithub GET /repos/{owner}/{repo}/stargazers/history', () => {
  let gh: FakeGithub;
  let contract: ResponseContract;
  let repo: GithubRepoJson;
  let list: string[];

  const get = (path: string, headers: Record<string, string> = TOKEN): Promise<RawResponse> =>
    rawGet(gh.url, path, { ...UA, ...headers });
  const weeksOf = (response: RawResponse): StargazerHistoryWeek[] =>
    JSON.parse(response.text) as StargazerHistoryWeek[];
  const history = (query = '?per_page=30'): string =>
    `/repos/${repo.full_name}/stargazers/history${query}`;

  /** Every page, following `Link` as a client must. */
  const allWeeks = async (): Promise<{ pages: RawResponse[]; weeks: StargazerHistoryWeek[] }> => {
    const pages: RawResponse[] = [];
    let next: string | undefined = history();
    while (next !== undefined) {
      const page = await get(next);
      expect(contract.check('GET', next, page)).toEqual([]);
      pages.push(page);
      const link = /<([^>]+)>; rel="next"/.exec(String(page.headers.link ?? ''));
      next = link ? new URL(link[1]).pathname + new URL(link[1]).search : undefined;
    }
    return { pages, weeks: pages.flatMap(weeksOf) };
  };

  beforeAll(async () => {
    contract = new ResponseContract();
    gh = await FakeGithub.start({ rateLimit: { limit: 100_000 } });
    [repo] = gh.addUser('octocat', 1);
    repo.created_at = '2019-03-06T10:00:00Z';
    list = [
      ...stars('2019-03-06T12:00:00Z', 300, 7),
      ...stars('2023-05-01T23:30:00Z', 500, 1),
      // A star given tomorrow (a list that says so) is not in today's history.
      new Date(Date.now() + DAY_MS).toISOString(),
    ];
    gh.setStargazers(repo.full_name, { starredAt: list, restriction: 'forbidden' });
  });

  afterAll(async () => {
    await gh.close();
  });

  it('should count every star still held on its UTC day, the weeks summing to the list up to today', async () => {
    const { weeks } = await allWeeks();

    const counted = new Map<string, number>();
    for (const { week, days } of weeks) {
      days.forEach((count, i) => {
        if (count > 0) {
          counted.set(new Date(week * 1000 + i * DAY_MS).toISOString().slice(0, 10), count);
        }
      });
    }
    const expected = new Map<string, number>();
    for (const at of list.filter((at) => Date.parse(at) <= Date.now())) {
      const day = at.slice(0, 10);
      expected.set(day, (expected.get(day) ?? 0) + 1);
    }
    expect(counted).toEqual(expected);
    expect(weeks.reduce((sum, week) => sum + week.total, 0)).toBe(list.length - 1);
    expect(weeks.every((week) => week.total === week.days.reduce((a, b) => a + b, 0))).toBe(true);
  });

  it('should list Sunday-start weeks newest first, from the current week back to the creation week', async () => {
    const { weeks } = await allWeeks();

    expect(weeks[0].week * 1000).toBe(weekStartMs(Date.now()));
    expect(weeks.at(-1)!.week * 1000).toBe(weekStartMs(Date.parse(repo.created_at)));
    expect(weeks.every(({ week }) => new Date(week * 1000).getUTCDay() === 0)).toBe(true);
    expect(weeks.every((w, i) => i === 0 || weeks[i - 1].week - w.week === 7 * 86_400)).toBe(true);
    const today = new Date().getUTCDay();
    expect(weeks[0].days.slice(today + 1).every((count) => count === 0)).toBe(true);
  });

  it('should page 30 weeks at most with Link headers to /repositories/{id}, then an empty page', async () => {
    const { pages, weeks } = await allWeeks();

    expect(pages).toHaveLength(Math.ceil(weeks.length / 30));
    expect(pages.slice(0, -1).every((page) => weeksOf(page).length === 30)).toBe(true);
    expect(String(pages[0].headers.link)).toContain(
      `/repositories/${repo.id}/stargazers/history?per_page=30&page=2>; rel="next"`,
    );
    const wide = await get(history('?per_page=100'));
    expect(weeksOf(wide)).toHaveLength(30);
    const after = await get(history(`?per_page=30&page=${pages.length + 1}`));
    expect(after.status).toBe(200);
    expect(weeksOf(after)).toEqual([]);
  });

  it('should answer 422 past page 100', async () => {
    const last = await get(history(`?per_page=1&page=${MAX_HISTORY_PAGES}`));
    const beyond = await get(history(`?per_page=1&page=${MAX_HISTORY_PAGES + 1}`));

    expect(last.status).toBe(200);
    expect(beyond.status).toBe(422);
    expect(contract.check('GET', history('?page=101'), beyond)).toEqual([]);
  });

  it('should answer anyone, without a token too, though the stargazer list is refused', async () => {
    const anonymous = await get(history(), {});
    const listed = await get(`/repos/${repo.full_name}/stargazers`);

    expect(anonymous.status).toBe(200);
    expect(weeksOf(anonymous)).toHaveLength(30);
    expect(listed.status).toBe(403);
  });

  it('should answer a body-less 304 when the ETag matches', async () => {
    const first = await get(history());
    const again = await get(history(), { ...TOKEN, 'if-none-match': String(first.headers.etag) });

    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(contract.check('GET', history(), again)).toEqual([]);
  });

  it('should answer 404 for a repository it does not have', async () => {
    const response = await get('/repos/octocat/no-such-repo/stargazers/history');

    expect(response.status).toBe(404);
  });
});
