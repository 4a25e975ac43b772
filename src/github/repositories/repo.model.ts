/** A repository in our own shape: the only shape that leaves the GitHub client. */
export interface Repo {
  name: string;
  fullName: string;
  description: string | null;
  language: string | null;
  stars: number;
  forks: number;
  url: string;
  fork: boolean;
  archived: boolean;
  topics: string[];
  openIssues: number;
  createdAt: string;
  updatedAt: string;
  pushedAt: string | null;
}
