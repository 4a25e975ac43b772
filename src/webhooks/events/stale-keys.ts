/**
 * The cache keys an event makes stale, in the formats the services that own them write
 * (src/github/**: `gh:repo:`, `gh:repos:`, `gh:profile:`; src/history/star-history: `history:stars:`).
 * Only result keys are dropped: the GitHub pages below them keep their ETags, so the next read
 * revalidates (a free 304 when nothing changed) instead of downloading again.
 */
export function repositoryKeys(fullName: string, today: string): string[] {
  const [owner, name] = fullName.toLowerCase().split('/');
  if (!owner || !name) {
    return [];
  }
  const repo = `${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  return [`gh:repo:/repos/${repo}`, `history:stars:${repo}:${today}`, ...ownerKeys(owner)];
}

/** An account's repository lists (as a user and as an organization) and its profile (the summary reads both). */
export function ownerKeys(login: string): string[] {
  const owner = encodeURIComponent(login.toLowerCase());
  return [`gh:repos:user:${owner}`, `gh:repos:org:${owner}`, `gh:profile:${owner}`];
}

/** The payload fields that name repositories, including the old name of a renamed or transferred one. */
export interface RepositoryPayload {
  repository?: { full_name?: unknown; name?: unknown; owner?: { login?: unknown } };
  changes?: {
    repository?: { name?: { from?: unknown } };
    owner?: { from?: { user?: { login?: unknown }; organization?: { login?: unknown } } };
  };
}

/** Every `owner/name` an event is about: the repository, and what it was called before. */
export function repositoriesOf(payload: RepositoryPayload): string[] {
  const repo = payload.repository;
  const fullName = text(repo?.full_name);
  if (!fullName) {
    return [];
  }
  const [owner, name] = fullName.split('/');
  const names = new Set([fullName]);
  const oldName = text(payload.changes?.repository?.name?.from);
  if (oldName) {
    names.add(`${owner}/${oldName}`);
  }
  const from = payload.changes?.owner?.from;
  const oldOwner = text(from?.user?.login) ?? text(from?.organization?.login);
  if (oldOwner) {
    names.add(`${oldOwner}/${oldName ?? name}`);
  }
  return [...names];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
