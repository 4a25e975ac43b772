import { FakeGithub, GithubRepoJson } from '../fake-github';

/** A repository list longer than the ceiling the contract test boots with: a partial answer. */
export const CONTRACT_CEILING = 300;

/**
 * Accounts whose answers reach every shape the document describes: generated ones (ties, forks,
 * archived, no language, no description, never pushed, no licence), empty ones, partial ones
 * over the ceiling, and hand-made repositories with every nullable field null or left out.
 */
export function addContractAccounts(gh: FakeGithub): void {
  gh.addUser('octocat', 60);
  gh.addUser('ghost', 0);
  gh.addOrg('acme', 45);
  gh.addOrg('empty-org', 0);
  gh.addUser('huge-user', 1234);
  gh.addOrg('huge-org', 1234);

  const [base] = gh.addUser('handmade', 1);
  gh.addUser('handmade', [
    handmade(base, 'bare', {
      description: null,
      language: null,
      homepage: null,
      license: null,
      pushed_at: null,
      fork: true,
      archived: true,
      topics: [],
    }),
    handmade(base, 'noassertion', {
      license: { key: 'other', name: 'Other', spdx_id: 'NOASSERTION' },
      homepage: '',
    }),
    handmade(base, 'full', {
      description: 'Everything filled in',
      language: 'TypeScript',
      homepage: 'https://example.com/full',
      license: { key: 'mit', name: 'MIT License', spdx_id: 'MIT' },
      topics: ['api', 'cli'],
    }),
    // GitHub leaves fields out of some bodies: the answer must still say what the document says.
    omit(handmade(base, 'sparse', {}), ['license', 'homepage', 'topics', 'archived']),
  ]);

  gh.addUser('nameless', 1);
  Object.assign(gh.profileOf('nameless'), { name: null, bio: null, blog: '', location: null });
  Object.assign(gh.profileOf('octocat'), {
    name: 'The Octocat',
    bio: 'A cat with eight legs',
    company: '@github',
    blog: 'https://github.blog',
    location: 'San Francisco',
  });
}

let nextId = 1;

function handmade(
  base: GithubRepoJson,
  name: string,
  fields: Partial<GithubRepoJson>,
): GithubRepoJson {
  const fullName = `${base.owner.login}/${name}`;
  return {
    ...base,
    id: base.id + nextId++,
    node_id: `${base.node_id}_${name}`,
    name,
    full_name: fullName,
    html_url: `https://github.com/${fullName}`,
    ...fields,
  };
}

function omit(repo: GithubRepoJson, fields: (keyof GithubRepoJson)[]): GithubRepoJson {
  const copy: Partial<GithubRepoJson> = { ...repo };
  for (const field of fields) {
    delete copy[field];
  }
  return copy as GithubRepoJson;
}
