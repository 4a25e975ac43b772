import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/**
 * A repository in our own shape: the only shape that leaves the GitHub client. One declaration
 * for the code, the OpenAPI document (schema `RepoResponse`, its published name) and the tests.
 */
@ApiSchema({ name: 'RepoResponse' })
export class Repo {
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
