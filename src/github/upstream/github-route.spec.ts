import { githubRouteOf } from './github-route';

describe(githubRouteOf.name, () => {
  it.each([
    ['/users/octocat/repos', '/users/:username/repos'],
    ['/users/octocat', '/users/:username'],
    ['/user/583231/repos', '/user/:id/repos'],
    ['/orgs/github/repos', '/orgs/:org/repos'],
    ['/organizations/9919/repos', '/organizations/:id/repos'],
    ['/repos/octocat/hello-world/languages', '/repos/:owner/:repo/languages'],
    ['/repos/octocat/hello-world', '/repos/:owner/:repo'],
    ['/rate_limit', '/rate_limit'],
    ['/user/octocat/repos', 'other'],
    ['/users/octocat/repos/extra', 'other'],
    ['/prefix/users/octocat', 'other'],
    ['/', 'other'],
  ])('should name %s as %s', (path, template) => {
    expect(githubRouteOf(path)).toBe(template);
  });

  it('should strip the path prefix of an Enterprise API root', () => {
    expect(githubRouteOf('/api/v3/users/octocat', '/api/v3')).toBe('/users/:username');
  });

  it('should leave a path outside the prefix as it is', () => {
    expect(githubRouteOf('/users/octocat', '/api/v3')).toBe('/users/:username');
  });
});
