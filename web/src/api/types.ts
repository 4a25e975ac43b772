/**
 * The shapes of our own API (src/github/*.model.ts, src/github/dto/*.response.ts), as this page
 * reads them. Kept here rather than imported: the page is built on its own, without Nest.
 */
export interface Profile {
  login: string;
  name: string | null;
  avatarUrl: string;
  url: string;
  type: 'User' | 'Organization';
  bio: string | null;
  company: string | null;
  blog: string | null;
  location: string | null;
  publicRepos: number;
  followers: number;
  following: number;
  createdAt: string;
}

export interface Repo {
  name: string;
  fullName: string;
  description: string | null;
  language: string | null;
  stars: number;
  forks: number;
  url: string;
  fork: boolean;
  archived: boolean;
  topics: string[];
  openIssues: number;
  createdAt: string;
  updatedAt: string;
  pushedAt: string | null;
}

export interface LanguageStat {
  language: string | null;
  repos: number;
  stars: number;
  /** Fraction of non-fork repositories, 0..1. */
  share: number;
}

export interface Summary {
  profile: Profile;
  totals: {
    repos: number;
    stars: number;
    forks: number;
    openIssues: number;
    sources: number;
    forked: number;
    archived: number;
  };
  languages: LanguageStat[];
  topRepos: Repo[];
  recentlyPushed: Repo[];
  fetchedAt: string;
}

export interface RepoPage {
  username: string;
  total: number;
  page: number;
  perPage: number;
  repos: Repo[];
  fetchedAt: string;
}

export const REPO_SORTS = ['stars', 'forks', 'name', 'updated', 'pushed', 'created'] as const;
export type RepoSort = (typeof REPO_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** The list route's query, as the table asks for it. */
export interface RepoQuery {
  sort: RepoSort;
  direction: SortDirection;
  /** undefined: every language; 'none': repositories without one. */
  language?: string;
  includeForks: boolean;
  page: number;
  perPage: number;
}

/** `X-Cache` of our API. */
export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'REVALIDATED';

/** A successful answer with what the page shows about its freshness. */
export interface Fetched<T> {
  data: T;
  /** null when the header is missing (a proxy dropped it). */
  cache: CacheStatus | null;
  /** When GitHub last confirmed the data (the body's `fetchedAt`). */
  fetchedAt: Date;
}
