/** The headers both list routes add to a 200, as the OpenAPI document describes them. */
export const LIST_HEADERS = {
  Link: 'Our own first/prev/next/last pages',
  'X-Repos-Complete':
    '`false` when the account has more repositories than one request reads (GITHUB_MAX_REPOS_PER_ACCOUNT): the answer covers the most recently pushed ones',
};
