import { ApiProperty } from '@nestjs/swagger';
import { Repo } from '../repo.model';

export class RepoResponse implements Repo {
  @ApiProperty({ example: 'Hello-World' }) name: string;
  @ApiProperty({ example: 'octocat/Hello-World' }) fullName: string;
  @ApiProperty({ type: String, nullable: true, example: 'My first repository on GitHub!' })
  description: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'TypeScript' }) language: string | null;
  @ApiProperty({ example: 1420 }) stars: number;
  @ApiProperty({ example: 1300 }) forks: number;
  @ApiProperty({
    example: 'https://github.com/octocat/Hello-World',
    description: "The repository's page on GitHub",
  })
  url: string;
  @ApiProperty() fork: boolean;
  @ApiProperty() archived: boolean;
  @ApiProperty({ type: [String], example: ['octocat', 'api'] }) topics: string[];
  @ApiProperty({ example: 3 }) openIssues: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) pushedAt: string | null;
}

export class RepoListResponse {
  @ApiProperty({ example: 'octocat' }) username: string;
  @ApiProperty({ description: 'Repositories after filtering, across all pages', example: 8 })
  total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 30 }) perPage: number;
  @ApiProperty({ type: [RepoResponse] }) repos: RepoResponse[];
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
