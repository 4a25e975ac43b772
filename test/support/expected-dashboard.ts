import { GithubAccountJson, GithubRepoJson } from '../fake-github';
import type { Profile } from '../../src/github/accounts/profile.model';
import type { LanguageBytes } from '../../src/github/repositories/dto/repo-details.model';
import type { DashboardSummary, LanguageStat } from '../../src/github/summary/dto/summary.model';
import { ApiRepo, toApiRepo } from './expected-repos';

/**
 * What the dashboard routes must answer, computed straight from the fake's own JSON and written
 * without any code from src/ (sharing it would let a bug agree with itself; only the types are shared). The contract, from
 * issue 4: totals count every repository; the language breakdown counts non-fork repositories,
 * with `null` for those without a language; top repositories by stars and recently pushed by
 * `pushed_at`, never-pushed last; ties on the full name, A to Z, as for the list routes.
 */

// The service's own models, the one declaration of each shape (types only: the values below
// are computed without any code from src/).
export type ApiProfile = Profile;
export type ApiLanguageStat = LanguageStat;
export type ApiSummary = DashboardSummary;
export type ApiLanguageBytes = LanguageBytes;

/** GitHub sends `""` for a blank blog; we answer null for every blank text field. */
const textOrNull = (value: string | null): string | null => (value === '' ? null : value);

export function expectedProfile(account: GithubAccountJson): ApiProfile {
  return {
    login: account.login,
    name: textOrNull(account.name),
    avatarUrl: account.avatar_url,
    url: account.html_url,
    type: account.type,
    bio: textOrNull(account.bio),
    company: textOrNull(account.company),
    blog: textOrNull(account.blog),
    location: textOrNull(account.location),
    publicRepos: account.public_repos,
    followers: account.followers,
    following: account.following,
    createdAt: account.created_at,
  };
}

export function expectedSummary(
  account: GithubAccountJson,
  repos: readonly GithubRepoJson[],
): ApiSummary {
  let stars = 0;
  let forks = 0;
  let openIssues = 0;
  let forked = 0;
  let archived = 0;
  for (const repo of repos) {
    stars += repo.stargazers_count;
    forks += repo.forks_count;
    openIssues += repo.open_issues_count;
    if (repo.fork) forked++;
    if (repo.archived) archived++;
  }
  return {
    profile: expectedProfile(account),
    totals: {
      repos: repos.length,
      stars,
      forks,
      openIssues,
      sources: repos.length - forked,
      forked,
      archived,
    },
    languages: expectedLanguages(repos),
    topRepos: topFive(repos, (repo) => repo.stargazers_count),
    recentlyPushed: topFive(repos, (repo) =>
      repo.pushed_at === null ? null : Date.parse(repo.pushed_at),
    ),
    complete: true,
    publicRepos: repos.length,
    coverage: `all ${repos.length.toLocaleString('en-US')} ${repos.length === 1 ? 'repository' : 'repositories'}`,
  };
}

/** One entry per language of the non-fork repositories, most repositories first (ties in any order). */
export function expectedLanguages(repos: readonly GithubRepoJson[]): ApiLanguageStat[] {
  const sources = repos.filter((repo) => !repo.fork);
  const counts = new Map<string | null, { repos: number; stars: number }>();
  for (const repo of sources) {
    const count = counts.get(repo.language) ?? { repos: 0, stars: 0 };
    count.repos += 1;
    count.stars += repo.stargazers_count;
    counts.set(repo.language, count);
  }
  return [...counts]
    .map(([language, count]) => ({
      language,
      repos: count.repos,
      stars: count.stars,
      share: count.repos / sources.length,
    }))
    .sort((a, b) => b.repos - a.repos);
}

/** The five largest by `key`, missing keys last, ties by full name A to Z. */
function topFive(
  repos: readonly GithubRepoJson[],
  key: (repo: GithubRepoJson) => number | null,
): ApiRepo[] {
  return [...repos]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka !== kb) {
        if (ka === null) return 1;
        if (kb === null) return -1;
        return kb - ka;
      }
      const na = a.full_name.toLowerCase();
      const nb = b.full_name.toLowerCase();
      return na < nb ? -1 : na > nb ? 1 : 0;
    })
    .slice(0, 5)
    .map(toApiRepo);
}

/** Bytes as GitHub's `/languages` answered them, largest first, with each one's share of the total. */
export function expectedLanguageBytes(bytesByLanguage: Record<string, number>): ApiLanguageBytes[] {
  const total = Object.values(bytesByLanguage).reduce((sum, bytes) => sum + bytes, 0);
  return Object.entries(bytesByLanguage)
    .map(([language, bytes]) => ({ language, bytes, share: bytes / total }))
    .sort((a, b) => b.bytes - a.bytes || (a.language < b.language ? -1 : 1));
}

/**
 * Asserts a served summary against the expected one: everything exactly, except that languages with
 * equally many repositories may come in any order (the issue asks only for "sorted by repos").
 */
export function expectSummaryToMatch(served: ApiSummary, expected: ApiSummary): void {
  const { languages, ...rest } = served;
  const { languages: expectedLanguageStats, ...expectedRest } = expected;
  expect(rest).toEqual(expectedRest);
  expect(languages).toHaveLength(expectedLanguageStats.length);
  expect(languages).toEqual(expect.arrayContaining(expectedLanguageStats));
  expect(languages.map((l) => l.repos)).toEqual(expectedLanguageStats.map((l) => l.repos));
}
