import { Repo } from './repo.model';

const FORK = 1;
const ARCHIVED = 2;
/** `url` is not `urlPrefix + fullName` (never seen on GitHub; kept exact all the same). */
const URL_IS_WHOLE = 4;
const NEVER_PUSHED = -1;
const NO_TOPICS: readonly string[] = Object.freeze([]);

/** What one stored repository is made of, in the order of its compact JSON form. */
export type StoredRepoTuple = [
  owner: string,
  name: string,
  description: string | null,
  language: string | null,
  stars: number,
  forks: number,
  openIssues: number,
  flags: number,
  topics: string[],
  createdAtSeconds: number,
  updatedAtSeconds: number,
  pushedAtSeconds: number,
  urlPrefix: string,
  fullName: string | null,
];

/**
 * A repository as the cache holds it: ~330 heap bytes instead of ~670 for the plain `Repo`
 * object (and ~6 kB for GitHub's own; `npm run bench`, docs/memory.md). Dates are epoch seconds (small integers, stored in the
 * object itself), flags share one field, and strings repeated across repositories (owner,
 * language, topics, the `https://github.com/` prefix) are shared. It reads as a `Repo` through
 * getters and serializes as one (`toJSON`), so listings and answers need not know.
 */
export class StoredRepo implements Repo {
  private constructor(
    private readonly ownerLogin: string,
    readonly name: string,
    readonly description: string | null,
    readonly language: string | null,
    readonly stars: number,
    readonly forks: number,
    readonly openIssues: number,
    private readonly flags: number,
    readonly topics: string[],
    private readonly createdAtSeconds: number,
    private readonly updatedAtSeconds: number,
    private readonly pushedAtSeconds: number,
    private readonly urlPrefix: string,
    /** Set only when GitHub's full name is not `owner/name`. */
    private readonly exactFullName: string | null,
  ) {}

  static from(repo: Repo, strings: StringPool): StoredRepo {
    const slash = repo.fullName.indexOf('/');
    const owner = slash > 0 ? repo.fullName.slice(0, slash) : repo.fullName;
    const derivable = `${owner}/${repo.name}` === repo.fullName;
    const urlIsWhole = !repo.url.endsWith(repo.fullName);
    return new StoredRepo(
      strings.intern(owner),
      repo.name,
      repo.description,
      repo.language === null ? null : strings.intern(repo.language),
      repo.stars,
      repo.forks,
      repo.openIssues,
      (repo.fork ? FORK : 0) | (repo.archived ? ARCHIVED : 0) | (urlIsWhole ? URL_IS_WHOLE : 0),
      repo.topics.length === 0
        ? (NO_TOPICS as string[])
        : repo.topics.map((t) => strings.intern(t)),
      toSeconds(repo.createdAt),
      toSeconds(repo.updatedAt),
      repo.pushedAt === null ? NEVER_PUSHED : toSeconds(repo.pushedAt),
      strings.intern(
        urlIsWhole ? repo.url : repo.url.slice(0, repo.url.length - repo.fullName.length),
      ),
      derivable ? null : repo.fullName,
    );
  }

  /** The inverse of {@link toTuple}; throws on anything else (a value another version wrote). */
  static fromTuple(value: unknown, strings: StringPool): StoredRepo {
    if (!isTuple(value)) {
      throw new TypeError('not a stored repository');
    }
    const [owner, name, description, language, stars, forks, openIssues, flags, topics, ...rest] =
      value;
    const [created, updated, pushed, urlPrefix, fullName] = rest;
    return new StoredRepo(
      strings.intern(owner),
      name,
      description,
      language === null ? null : strings.intern(language),
      stars,
      forks,
      openIssues,
      flags,
      topics.length === 0 ? (NO_TOPICS as string[]) : topics.map((t) => strings.intern(t)),
      created,
      updated,
      pushed,
      strings.intern(urlPrefix),
      fullName,
    );
  }

  get fullName(): string {
    return this.exactFullName ?? `${this.ownerLogin}/${this.name}`;
  }

  get url(): string {
    return this.flags & URL_IS_WHOLE ? this.urlPrefix : this.urlPrefix + this.fullName;
  }

  get fork(): boolean {
    return (this.flags & FORK) !== 0;
  }

  get archived(): boolean {
    return (this.flags & ARCHIVED) !== 0;
  }

  get createdAt(): string {
    return toIso(this.createdAtSeconds);
  }

  get updatedAt(): string {
    return toIso(this.updatedAtSeconds);
  }

  get pushedAt(): string | null {
    return this.pushedAtSeconds === NEVER_PUSHED ? null : toIso(this.pushedAtSeconds);
  }

  /** The API's shape: what `JSON.stringify` sends to clients. */
  toJSON(): Repo {
    return {
      name: this.name,
      fullName: this.fullName,
      description: this.description,
      language: this.language,
      stars: this.stars,
      forks: this.forks,
      url: this.url,
      fork: this.fork,
      archived: this.archived,
      topics: [...this.topics],
      openIssues: this.openIssues,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      pushedAt: this.pushedAt,
    };
  }

  /** The compact form written to Redis: no field names, ~40 % of the JSON of `toJSON()`. */
  toTuple(): StoredRepoTuple {
    return [
      this.ownerLogin,
      this.name,
      this.description,
      this.language,
      this.stars,
      this.forks,
      this.openIssues,
      this.flags,
      this.topics,
      this.createdAtSeconds,
      this.updatedAtSeconds,
      this.pushedAtSeconds,
      this.urlPrefix,
      this.exactFullName,
    ];
  }
}

/** Strings many repositories repeat, stored once. Bounded: topics are free text on GitHub. */
export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(private readonly maxStrings = 20_000) {}

  intern(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) {
      return known;
    }
    if (this.strings.size >= this.maxStrings) {
      // Forgetting only loses sharing for later strings; what is stored stays valid.
      this.strings.clear();
    }
    this.strings.set(value, value);
    return value;
  }
}

/** One pool for the process: languages and prefixes repeat across accounts too. */
export const sharedStrings = new StringPool();

function toSeconds(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new TypeError(`not a timestamp: ${iso.slice(0, 40)}`);
  }
  return Math.floor(ms / 1000);
}

/** GitHub's own format: whole seconds, `Z`. */
function toIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function isTuple(value: unknown): value is StoredRepoTuple {
  if (!Array.isArray(value) || value.length !== 14) {
    return false;
  }
  const v = value as unknown[];
  const isString = (x: unknown) => typeof x === 'string';
  const isInt = (x: unknown) => Number.isInteger(x);
  return (
    isString(v[0]) &&
    isString(v[1]) &&
    (v[2] === null || isString(v[2])) &&
    (v[3] === null || isString(v[3])) &&
    [v[4], v[5], v[6], v[7], v[9], v[10], v[11]].every(isInt) &&
    Array.isArray(v[8]) &&
    (v[8] as unknown[]).every(isString) &&
    isString(v[12]) &&
    (v[13] === null || isString(v[13]))
  );
}
