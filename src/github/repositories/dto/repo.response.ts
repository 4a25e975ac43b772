import { ApiProperty } from '@nestjs/swagger';
import { Repo } from '../../accounts/repo.model';

export class RepoListResponse {
  @ApiProperty({ example: 'octocat' }) username: string;
  @ApiProperty({ description: 'Repositories after filtering, across all pages', example: 8 })
  total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 30 }) perPage: number;
  @ApiProperty({ type: [Repo] }) repos: Repo[];
  @ApiProperty({
    description:
      'False when the account has more repositories than GITHUB_MAX_REPOS_PER_ACCOUNT: then the most recently pushed ones were read, and total, sorting and paging apply to those (header X-Repos-Complete says the same)',
  })
  complete: boolean;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 8,
    description:
      "The account's public repositories as GitHub counts them; null only when GitHub gave no way to count them",
  })
  publicRepos: number | null;
  @ApiProperty({
    example: 'first 10,000 of 104,326 repositories, most recently pushed first',
    description: 'How much of the account this list covers, in plain words',
  })
  coverage: string;
  @ApiProperty({ format: 'date-time', description: 'When GitHub last confirmed this data' })
  fetchedAt: string;
}
