import { ApiProperty } from '@nestjs/swagger';
import { ProfileResponse } from '../../profiles/dto/profile.response';
import { RepoResponse } from '../../repositories/dto/repo.response';

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

export class LanguageStatResponse {
  @ApiProperty({ type: String, nullable: true, description: 'null: no language detected' })
  language: string | null;
  @ApiProperty({ description: 'Non-fork repositories in this language' }) repos: number;
  @ApiProperty({ description: 'Stars of those repositories' }) stars: number;
  @ApiProperty({ description: 'Fraction of non-fork repositories, 0..1', example: 0.42 })
  share: number;
}

export class SummaryResponse {
  @ApiProperty({ type: ProfileResponse }) profile: ProfileResponse;
  @ApiProperty({ type: SummaryTotals }) totals: SummaryTotals;
  @ApiProperty({ type: [LanguageStatResponse], description: 'Sorted by repositories' })
  languages: LanguageStatResponse[];
  @ApiProperty({ type: [RepoResponse], description: 'Five most starred' }) topRepos: RepoResponse[];
  @ApiProperty({ type: [RepoResponse], description: 'Five most recently pushed' })
  recentlyPushed: RepoResponse[];
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
  @ApiProperty({
    format: 'date-time',
    description: 'When GitHub last confirmed the older of profile and repositories',
  })
  fetchedAt: string;
}
