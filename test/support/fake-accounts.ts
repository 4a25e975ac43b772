import { FakeGithub, GithubAccountJson, GithubRepoJson, RecordedRequest } from '../fake-github';
import { rawGet } from './raw-get';

/**
 * What the dashboard tests need from the fake GitHub beyond its public surface, built on that
 * surface only (test/fake-github/ belongs to another engineer).
 */

/**
 * Fills in profile fields the fake leaves blank (bio, company, blog, location, counts). The fake has
 * no call for this; `profileOf` returns the very object `GET /users/:login` serializes on every
 * request, so changing it changes what the fake answers.
 */
export function fillProfile(
  gh: FakeGithub,
  login: string,
  fields: Partial<GithubAccountJson>,
): GithubAccountJson {
  return Object.assign(gh.profileOf(login), fields);
}

/** A copy of a generated repository under another name (and any other changes), for `addUser(login, repos)`. */
export function renamedRepo(
  template: GithubRepoJson,
  name: string,
  changes: Partial<GithubRepoJson> = {},
): GithubRepoJson {
  const fullName = `${template.owner.login}/${name}`;
  return {
    ...template,
    name,
    full_name: fullName,
    html_url: `https://github.com/${fullName}`,
    url: `https://api.github.com/repos/${fullName}`,
    ...changes,
  };
}

/** The fake's own `/repos/:owner/:repo/languages` answer, read directly (this request is recorded too). */
export async function languagesServedByFake(
  gh: FakeGithub,
  owner: string,
  repo: string,
): Promise<Record<string, number>> {
  const response = await rawGet(gh.url, `/repos/${owner}/${repo}/languages`, {
    'user-agent': 'dashboard-e2e',
  });
  if (response.status !== 200) {
    throw new Error(`The fake answered ${response.status} for the languages of ${owner}/${repo}`);
  }
  return JSON.parse(response.text) as Record<string, number>;
}

/** The upstream requests one account cost, sorted into the kinds the summary may make. */
export interface UpstreamCalls {
  profile: RecordedRequest[];
  /** Pages of the repository list: page 1 by login, later pages by the numeric id GitHub links to. */
  repoPages: RecordedRequest[];
  /** Anything else: must stay empty. */
  other: RecordedRequest[];
}

export function upstreamCallsFor(gh: FakeGithub, login: string): UpstreamCalls {
  const id = gh.profileOf(login).id;
  const calls: UpstreamCalls = { profile: [], repoPages: [], other: [] };
  for (const request of gh.requests) {
    const path = request.path.split('?')[0];
    if (path.toLowerCase() === `/users/${login.toLowerCase()}`) {
      calls.profile.push(request);
    } else if (
      path.toLowerCase() === `/users/${login.toLowerCase()}/repos` ||
      path === `/user/${id}/repos`
    ) {
      calls.repoPages.push(request);
    } else {
      calls.other.push(request);
    }
  }
  return calls;
}

/** The `page` each recorded list request asked for (1 when it names none), in ascending order. */
export function pagesAsked(requests: RecordedRequest[]): number[] {
  return requests
    .map((r) => Number(new URL(r.path, 'http://fake.invalid').searchParams.get('page') ?? '1'))
    .sort((a, b) => a - b);
}
