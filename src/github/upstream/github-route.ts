/** GitHub paths we call, as templates: metric labels and log fields must not carry logins. */
const TEMPLATES: [RegExp, string][] = [
  [/^\/users\/[^/]+\/repos$/, '/users/:username/repos'],
  [/^\/users\/[^/]+$/, '/users/:username'],
  [/^\/user\/\d+\/repos$/, '/user/:id/repos'],
  [/^\/orgs\/[^/]+\/repos$/, '/orgs/:org/repos'],
  [/^\/organizations\/\d+\/repos$/, '/organizations/:id/repos'],
  [/^\/repos\/[^/]+\/[^/]+\/languages$/, '/repos/:owner/:repo/languages'],
  [/^\/repos\/[^/]+\/[^/]+\/stargazers$/, '/repos/:owner/:repo/stargazers'],
  [/^\/repositories\/\d+\/stargazers$/, '/repositories/:id/stargazers'],
  [/^\/repos\/[^/]+\/[^/]+$/, '/repos/:owner/:repo'],
  [/^\/rate_limit$/, '/rate_limit'],
];

/** The template of a GitHub API path (the part after the API root), or `other`. */
export function githubRouteOf(pathname: string, apiPathPrefix = ''): string {
  const path = pathname.startsWith(apiPathPrefix) ? pathname.slice(apiPathPrefix.length) : pathname;
  return TEMPLATES.find(([pattern]) => pattern.test(path))?.[1] ?? 'other';
}
