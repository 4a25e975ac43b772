import { estimateHeapBytes, HEAP_BYTES, SizedValue } from '../../cache/heap-size';
import { LinkRelations } from '../api/link-header';
import { sharedStrings, StoredRepo } from './stored-repo';

/** One GitHub page of a repository list as we keep it: its validators, and its repositories. */
export interface StoredPage {
  url: string;
  etag?: string;
  lastModified?: string;
  /** The credential the validators belong to. */
  tokenFingerprint: string;
  /** Items GitHub listed on the page. */
  count: number;
  /** null for a page read only to count (the last page of a list too long to read whole). */
  repos: StoredRepo[] | null;
  /** Kept for the first page of each order only: where the rest of the list is. */
  links: LinkRelations;
}

/** How a list was read; `pages` in reading order. */
export interface RepoListParts {
  pages: StoredPage[];
  complete: boolean;
  /** The account's public repositories as GitHub counts them; null when GitHub gave no way to count. */
  publicRepos: number | null;
}

/**
 * The one stored form of an account's repositories: the pages as read (so each can be
 * revalidated with a 304 and reused), and the repositories they hold, once. A list longer than
 * `GITHUB_MAX_REPOS_PER_ACCOUNT` is kept partial (`complete: false`) and says so in plain words.
 */
export class StoredRepoList implements SizedValue {
  readonly repos: StoredRepo[];

  constructor(readonly parts: RepoListParts) {
    // A repository pushed to while the pages were read can move from one page to another and be
    // listed twice: keep its first sighting.
    const seen = new Set<string>();
    this.repos = [];
    for (const page of parts.pages) {
      for (const repo of page.repos ?? []) {
        const key = repo.fullName.toLowerCase();
        if (!seen.has(key)) {
          seen.add(key);
          this.repos.push(repo);
        }
      }
    }
  }

  get complete(): boolean {
    return this.parts.complete;
  }

  get publicRepos(): number | null {
    return this.parts.publicRepos;
  }

  /** "all 42 repositories", "first 10,000 of 104,326 repositories, most recently pushed first". */
  get coverage(): string {
    return describeCoverage(this.repos.length, this.parts.complete, this.parts.publicRepos);
  }

  /** The pages, plus the flat list's slots: its repositories are the pages' own, not copies. */
  [HEAP_BYTES](): number {
    return estimateHeapBytes(this.parts) + 32 + 8 * this.repos.length;
  }

  /** The form written to Redis: repositories as tuples, without field names. */
  toJSON(): unknown {
    return {
      ...this.parts,
      pages: this.parts.pages.map((page) => ({
        ...page,
        repos: page.repos?.map((repo) => repo.toTuple()) ?? null,
      })),
    };
  }

  /** The inverse of {@link toJSON}; throws on anything else, which the store treats as a miss. */
  static fromJSON(value: unknown): StoredRepoList {
    const raw = value as Partial<Record<keyof RepoListParts, unknown>> | null;
    if (
      !raw ||
      !Array.isArray(raw.pages) ||
      typeof raw.complete !== 'boolean' ||
      !(raw.publicRepos === null || typeof raw.publicRepos === 'number')
    ) {
      throw new TypeError('not a stored repository list');
    }
    const pages = raw.pages.map((page: unknown): StoredPage => {
      const p = page as Record<string, unknown>;
      if (typeof p.url !== 'string' || typeof p.count !== 'number') {
        throw new TypeError('not a stored page');
      }
      return {
        url: p.url,
        etag: typeof p.etag === 'string' ? p.etag : undefined,
        lastModified: typeof p.lastModified === 'string' ? p.lastModified : undefined,
        tokenFingerprint: typeof p.tokenFingerprint === 'string' ? p.tokenFingerprint : '',
        count: p.count,
        repos: Array.isArray(p.repos)
          ? p.repos.map((tuple) => StoredRepo.fromTuple(tuple, sharedStrings))
          : null,
        links: isLinks(p.links) ? p.links : {},
      };
    });
    return new StoredRepoList({ pages, complete: raw.complete, publicRepos: raw.publicRepos });
  }
}

function isLinks(value: unknown): value is LinkRelations {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((url) => typeof url === 'string')
  );
}

/** How much of an account `read` repositories are, in the words the summary and the page show. */
export function describeCoverage(
  read: number,
  complete: boolean,
  publicRepos: number | null,
): string {
  if (complete) {
    return `all ${count(read)} ${read === 1 ? 'repository' : 'repositories'}`;
  }
  const of = publicRepos === null ? '' : ` of ${count(publicRepos)}`;
  return `first ${count(read)}${of} repositories, most recently pushed first`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
