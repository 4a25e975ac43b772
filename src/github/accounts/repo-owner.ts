/** Whose repositories: a user's own, or an organisation's public ones. */
export interface RepoOwner {
  kind: 'user' | 'org';
  login: string;
}
