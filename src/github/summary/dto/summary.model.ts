import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Profile } from '../../accounts/profile.model';
import { Repo } from '../../accounts/repo.model';

export class SummaryTotals {
  @ApiProperty({
    description:
      'Public repositories read, forks included (all of them unless `complete` is false)',
  })
  repos: number;
  @ApiProperty({ description: 'Stars over all repositories' }) stars: number;
  @ApiProperty({ description: 'Forks of all repositories' }) forks: number;
  @ApiProperty() openIssues: number;
  @ApiProperty({ description: 'Repositories that are not forks' }) sources: number;
  @ApiProperty({ description: 'Repositories that are forks' }) forked: number;
  @ApiProperty() archived: number;
}

@ApiSchema({ name: 'LanguageStatResponse' })
export class LanguageStat {
  @ApiProperty({ type: String, nullable: true, description: 'null: no language detected' })
  language: string | null;
  @ApiProperty({ description: 'Non-fork repositories in this language' }) repos: number;
  @ApiProperty({ description: 'Stars of those repositories' }) stars: number;
  @ApiProperty({ description: 'Fraction of non-fork repositories, 0..1', example: 0.42 })
  share: number;
}

/**
 * The dashboard's numbers for one account: one declaration for the code, the OpenAPI document
 * (inside `SummaryResponse`) and the tests.
 */
export class DashboardSummary {
  @ApiProperty({ type: Profile }) profile: Profile;
  @ApiProperty({ type: SummaryTotals }) totals: SummaryTotals;
  @ApiProperty({ type: [LanguageStat], description: 'Sorted by repositories' })
  languages: LanguageStat[];
  @ApiProperty({ type: [Repo], description: 'Five most starred' }) topRepos: Repo[];
  @ApiProperty({ type: [Repo], description: 'Five most recently pushed' })
  recentlyPushed: Repo[];
  @ApiProperty({
    description:
      'False when the account has more repositories than one request reads (GITHUB_MAX_REPOS_PER_ACCOUNT): totals and languages then cover the most recently pushed ones',
  })
  complete: boolean;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "The account's public repositories as GitHub counts them",
  })
  publicRepos: number | null;
  @ApiProperty({
    example: 'all 8 repositories',
    description: 'How much of the account the numbers cover, in plain words',
  })
  coverage: string;
}
