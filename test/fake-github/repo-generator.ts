import { GITHUB_API_ORIGIN, GithubOwnerJson, GithubRepoJson } from './github-json';
import { SeededRandom } from './seeded-random';

const WORDS_A = [
  'awesome',
  'tiny',
  'hello',
  'fast',
  'legacy',
  'shiny',
  'quiet',
  'rusty',
  'smart',
  'open',
];
const WORDS_B = [
  'world',
  'tool',
  'api',
  'parser',
  'dashboard',
  'cli',
  'notes',
  'server',
  'widget',
  'lib',
];
const LANGUAGES = ['TypeScript', 'JavaScript', 'Go', 'Rust', 'Python', 'C++', 'Shell', 'HTML'];
const TOPICS = ['api', 'cli', 'github', 'dashboard', 'nestjs', 'hacktoberfest', 'tooling', 'web'];
const LICENSES = [
  { key: 'mit', name: 'MIT License', spdx_id: 'MIT' },
  { key: 'apache-2.0', name: 'Apache License 2.0', spdx_id: 'Apache-2.0' },
];

const FIRST_CREATED = Date.UTC(2011, 0, 1);
const LAST_UPDATED = Date.UTC(2025, 5, 1);

/**
 * Deterministic repositories for an owner, seeded by the login. The data is shaped to exercise a
 * listing: many equal star and fork counts (ties), mixed-case names, some repositories without a
 * language, some forks, some archived, some never pushed to (`pushed_at: null`).
 */
export function generateRepos(owner: GithubOwnerJson, count: number): GithubRepoJson[] {
  const random = new SeededRandom(owner.login.toLowerCase());
  return Array.from({ length: count }, (_, index) => generateRepo(owner, index, random));
}

function generateRepo(owner: GithubOwnerJson, index: number, random: SeededRandom): GithubRepoJson {
  const name = repoName(index, random);
  // Cubing skews towards zero, as on GitHub: most repositories have few stars, so ties abound.
  const stars = Math.floor(random.next() ** 3 * 5000);
  const forks = Math.floor(stars * random.next() * 0.3);
  const openIssues = random.int(0, 40);
  const created = random.int(FIRST_CREATED, LAST_UPDATED - 1000);
  const updated = random.int(created, LAST_UPDATED);
  const pushed = random.chance(0.06) ? null : random.int(created, updated);
  const topics = TOPICS.filter(() => random.chance(0.15));
  const language = random.chance(0.15) ? null : random.pick(LANGUAGES);
  const fullName = `${owner.login}/${name}`;
  return {
    id: owner.id * 100_000 + index + 1,
    node_id: `R_fake${owner.id}_${index + 1}`,
    name,
    full_name: fullName,
    private: false,
    owner,
    html_url: `https://github.com/${fullName}`,
    description: random.chance(0.2)
      ? null
      : `${name.replace(/[-_.]/g, ' ')}: a generated repository`,
    fork: random.chance(0.2),
    url: `${GITHUB_API_ORIGIN}/repos/${fullName}`,
    homepage: random.chance(0.7) ? null : `https://example.com/${name.toLowerCase()}`,
    size: random.int(0, 50_000),
    stargazers_count: stars,
    watchers_count: stars,
    language,
    has_issues: true,
    forks_count: forks,
    archived: random.chance(0.1),
    disabled: false,
    open_issues_count: openIssues,
    license: random.chance(0.3) ? null : random.pick(LICENSES),
    topics,
    visibility: 'public',
    default_branch: 'main',
    forks,
    open_issues: openIssues,
    watchers: stars,
    created_at: isoSeconds(created),
    updated_at: isoSeconds(updated),
    pushed_at: pushed === null ? null : isoSeconds(pushed),
  };
}

/** Unique per owner (the index is part of it); some capitalised, some with `_` or `.`, as real names are. */
function repoName(index: number, random: SeededRandom): string {
  const separator = random.pick(['-', '-', '-', '_', '.']);
  const name = `${random.pick(WORDS_A)}${separator}${random.pick(WORDS_B)}-${index + 1}`;
  return random.chance(0.25) ? name.charAt(0).toUpperCase() + name.slice(1) : name;
}

/** GitHub's timestamp format: ISO 8601 in UTC, whole seconds. */
function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
