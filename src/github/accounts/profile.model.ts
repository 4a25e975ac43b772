import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/**
 * A GitHub account (user or organisation) in our own shape: one declaration for the code, the
 * OpenAPI document (schema `ProfileResponse`) and the tests.
 */
@ApiSchema({ name: 'ProfileResponse' })
export class Profile {
  @ApiProperty({ example: 'octocat' }) login: string;
  @ApiProperty({ type: String, nullable: true, example: 'The Octocat' }) name: string | null;
  @ApiProperty({ example: 'https://avatars.githubusercontent.com/u/583231?v=4' }) avatarUrl: string;
  @ApiProperty({ example: 'https://github.com/octocat' }) url: string;
  @ApiProperty({ enum: ['User', 'Organization'] }) type: 'User' | 'Organization';
  @ApiProperty({ type: String, nullable: true }) bio: string | null;
  @ApiProperty({ type: String, nullable: true, example: '@github' }) company: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'https://github.blog' })
  blog: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'San Francisco' }) location: string | null;
  @ApiProperty({ example: 8 }) publicRepos: number;
  @ApiProperty({ example: 21000 }) followers: number;
  @ApiProperty({ example: 9 }) following: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
