import { ownerKeys, repositoriesOf, repositoryKeys } from './stale-keys';

describe(repositoryKeys.name, () => {
  it('should name the repository, its star history today and its owner, lower case and encoded', () => {
    expect(repositoryKeys('Octo-Cat/Hello.World', '2026-12-06')).toEqual([
      'gh:repo:/repos/octo-cat/hello.world',
      'history:stars:octo-cat/hello.world:2026-12-06',
      ...ownerKeys('octo-cat'),
    ]);
  });

  it('should name nothing for a name without an owner', () => {
    expect(repositoryKeys('lonely', '2026-12-06')).toEqual([]);
  });
});

describe(ownerKeys.name, () => {
  it("should name the account's lists as a user and as an organization, and its profile", () => {
    expect(ownerKeys('OctoCat')).toEqual([
      'gh:repos:user:octocat',
      'gh:repos:org:octocat',
      'gh:profile:octocat',
    ]);
  });
});

describe(repositoriesOf.name, () => {
  it('should add the old name of a renamed repository', () => {
    expect(
      repositoriesOf({
        repository: { full_name: 'octocat/new' },
        changes: { repository: { name: { from: 'old' } } },
      }),
    ).toEqual(['octocat/new', 'octocat/old']);
  });

  it('should add the name under its old owner for a transferred repository', () => {
    expect(
      repositoriesOf({
        repository: { full_name: 'neworg/tool' },
        changes: { owner: { from: { user: { login: 'octocat' } } } },
      }),
    ).toEqual(['neworg/tool', 'octocat/tool']);
  });

  it('should name nothing without a repository', () => {
    expect(repositoriesOf({})).toEqual([]);
  });
});
