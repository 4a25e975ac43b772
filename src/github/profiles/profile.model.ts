/** A GitHub account (user or organisation) in our own shape. */
export interface Profile {
  login: string;
  name: string | null;
  avatarUrl: string;
  url: string;
  type: 'User' | 'Organization';
  bio: string | null;
  company: string | null;
  blog: string | null;
  location: string | null;
  publicRepos: number;
  followers: number;
  following: number;
  createdAt: string;
}
