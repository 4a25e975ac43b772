import { Repo } from './repo.model';

export interface LanguageBytes {
  language: string;
  bytes: number;
  /** Fraction of the repository's bytes, 0..1. */
  share: number;
}

/** One repository with what its own page shows beyond the list. */
export interface RepoDetails extends Repo {
  defaultBranch: string;
  license: { spdxId: string | null; name: string } | null;
  homepage: string | null;
  languages: LanguageBytes[];
}
