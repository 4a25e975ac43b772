import { Profile } from '../accounts/profile.model';
import { DashboardSummary, LanguageStat } from './dto/summary.model';
import { describeCoverage } from '../accounts/stored-repo-list';
import { sortRepos } from '../repositories/repo-listing';
import { Repo } from '../accounts/repo.model';

export type { DashboardSummary, LanguageStat } from './dto/summary.model';

/** How much of the account the repositories cover. */
export interface Coverage {
  complete: boolean;
  publicRepos: number | null;
  coverage: string;
}

const TOP = 5;

/**
 * The dashboard's numbers, computed from the complete repository list. Totals count every
 * repository (forks included, as GitHub's own counters do); the language breakdown counts
 * the account's own work, so it uses non-fork repositories only.
 */
export function summarize(
  profile: Profile,
  repos: readonly Repo[],
  coverage: Coverage = {
    complete: true,
    publicRepos: repos.length,
    coverage: describeCoverage(repos.length, true, repos.length),
  },
): DashboardSummary {
  const sources = repos.filter((repo) => !repo.fork);
  return {
    profile,
    totals: {
      repos: repos.length,
      stars: sum(repos, (r) => r.stars),
      forks: sum(repos, (r) => r.forks),
      openIssues: sum(repos, (r) => r.openIssues),
      sources: sources.length,
      forked: repos.length - sources.length,
      archived: repos.filter((r) => r.archived).length,
    },
    languages: languageStats(sources),
    topRepos: sortRepos(repos, 'stars').slice(0, TOP),
    recentlyPushed: sortRepos(repos, 'pushed').slice(0, TOP),
    complete: coverage.complete,
    publicRepos: coverage.publicRepos,
    coverage: coverage.coverage,
  };
}

function languageStats(sources: readonly Repo[]): LanguageStat[] {
  const byLanguage = new Map<string | null, { repos: number; stars: number }>();
  for (const repo of sources) {
    const stat = byLanguage.get(repo.language) ?? { repos: 0, stars: 0 };
    stat.repos++;
    stat.stars += repo.stars;
    byLanguage.set(repo.language, stat);
  }
  return [...byLanguage.entries()]
    .map(([language, stat]) => ({ language, ...stat, share: stat.repos / sources.length }))
    .sort(
      (a, b) =>
        b.repos - a.repos ||
        b.stars - a.stars ||
        String(a.language).localeCompare(String(b.language)),
    );
}

function sum(repos: readonly Repo[], value: (repo: Repo) => number): number {
  return repos.reduce((total, repo) => total + value(repo), 0);
}
