import { accountUrls } from './account-urls';
import { ApiVersion, apiVersionShape } from './api-versions';
import { GITHUB_API_ORIGIN, GithubOwnerJson, GithubRepoJson } from './github-json';

const WEB_ORIGIN = 'https://github.com';

/**
 * A repository as GitHub's REST API sends it: the stored fields plus the ~45 `*_url` fields, the
 * owner's ~10 and the flags GitHub always includes, about 4–5 kB of JSON per repository (the size
 * a client really parses). Derived from `full_name` and the owner's login at serialization time,
 * so the fake holds only the compact stored form: a 100,000-repository account stays cheap.
 *
 * Fields come in GitHub's order. The stored values win over the derived ones, and a field a test
 * left out of a hand-made repository stays out (a derived field set to undefined is not sent).
 * Fields the API `version` removed are not sent either, even where a test stored them.
 */
export function toWireRepo(repo: GithubRepoJson, version: ApiVersion): Record<string, unknown> {
  const fullName = typeof repo.full_name === 'string' ? repo.full_name : undefined;
  const api = fullName === undefined ? undefined : `${GITHUB_API_ORIGIN}/repos/${fullName}`;
  const at = (path: string): string | undefined => (api === undefined ? undefined : api + path);
  const wire: Record<string, unknown> = {
    id: undefined,
    node_id: undefined,
    name: undefined,
    full_name: undefined,
    private: undefined,
    owner: undefined,
    html_url: undefined,
    description: undefined,
    fork: undefined,
    url: api,
    forks_url: at('/forks'),
    keys_url: at('/keys{/key_id}'),
    collaborators_url: at('/collaborators{/collaborator}'),
    teams_url: at('/teams'),
    hooks_url: at('/hooks'),
    issue_events_url: at('/issues/events{/number}'),
    events_url: at('/events'),
    assignees_url: at('/assignees{/user}'),
    branches_url: at('/branches{/branch}'),
    tags_url: at('/tags'),
    blobs_url: at('/git/blobs{/sha}'),
    git_tags_url: at('/git/tags{/sha}'),
    git_refs_url: at('/git/refs{/sha}'),
    trees_url: at('/git/trees{/sha}'),
    statuses_url: at('/statuses/{sha}'),
    languages_url: at('/languages'),
    stargazers_url: at('/stargazers'),
    contributors_url: at('/contributors'),
    subscribers_url: at('/subscribers'),
    subscription_url: at('/subscription'),
    commits_url: at('/commits{/sha}'),
    git_commits_url: at('/git/commits{/sha}'),
    comments_url: at('/comments{/number}'),
    issue_comment_url: at('/issues/comments{/number}'),
    contents_url: at('/contents/{+path}'),
    compare_url: at('/compare/{base}...{head}'),
    merges_url: at('/merges'),
    archive_url: at('/{archive_format}{/ref}'),
    downloads_url: at('/downloads'),
    issues_url: at('/issues{/number}'),
    pulls_url: at('/pulls{/number}'),
    milestones_url: at('/milestones{/number}'),
    notifications_url: at('/notifications{?since,all,participating}'),
    labels_url: at('/labels{/name}'),
    releases_url: at('/releases{/id}'),
    deployments_url: at('/deployments'),
    created_at: undefined,
    updated_at: undefined,
    pushed_at: undefined,
    git_url: fullName === undefined ? undefined : `git://github.com/${fullName}.git`,
    ssh_url: fullName === undefined ? undefined : `git@github.com:${fullName}.git`,
    clone_url: fullName === undefined ? undefined : `${WEB_ORIGIN}/${fullName}.git`,
    svn_url: fullName === undefined ? undefined : `${WEB_ORIGIN}/${fullName}`,
    homepage: undefined,
    size: undefined,
    stargazers_count: undefined,
    watchers_count: undefined,
    language: undefined,
    has_issues: undefined,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: undefined,
    mirror_url: null,
    archived: undefined,
    disabled: undefined,
    open_issues_count: undefined,
    license: undefined,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: undefined,
    visibility: undefined,
    forks: undefined,
    open_issues: undefined,
    watchers: undefined,
    default_branch: undefined,
  };
  Object.assign(wire, repo);
  for (const field of apiVersionShape(version).removedRepoFields) {
    // Undefined rather than deleted: JSON.stringify leaves it out, and the object keeps its shape.
    if (field in wire) {
      wire[field] = undefined;
    }
  }
  if (isOwner(repo.owner)) {
    wire.owner = toWireOwner(repo.owner);
  }
  if (repo.license && typeof repo.license.key === 'string') {
    wire.license = {
      url: `${GITHUB_API_ORIGIN}/licenses/${repo.license.key}`,
      node_id: `L_fake_${repo.license.key}`,
      ...repo.license,
    };
  }
  return wire;
}

/**
 * `GET /repos/{owner}/{repo}`: the list item plus the counts GitHub sends for one repository only
 * (required by its `full-repository` schema). Derived, so the stored form stays as it is: the
 * network holds at least the forks, and a share of the stargazers watch.
 */
export function toWireFullRepo(repo: GithubRepoJson, version: ApiVersion): Record<string, unknown> {
  const counted = (value: unknown, derive: (n: number) => number): number | undefined =>
    typeof value === 'number' ? derive(value) : undefined;
  return {
    ...toWireRepo(repo, version),
    network_count: counted(repo.forks_count, (forks) => forks),
    subscribers_count: counted(repo.stargazers_count, (stars) => Math.ceil(stars / 20)),
  };
}

/** The owner object inside a repository: the stored fields plus GitHub's `*_url` fields. */
function toWireOwner(owner: GithubOwnerJson): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    login: undefined,
    id: undefined,
    node_id: undefined,
    avatar_url: undefined,
    gravatar_id: undefined,
    ...accountUrls(owner.login),
    type: undefined,
    user_view_type: undefined,
    site_admin: undefined,
  };
  return Object.assign(wire, owner);
}

function isOwner(value: unknown): value is GithubOwnerJson {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { login?: unknown }).login === 'string'
  );
}
