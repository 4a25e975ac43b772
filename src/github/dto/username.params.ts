import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** GitHub's login rule: 1–39 letters, digits or single hyphens, no hyphen at either end. */
export const GITHUB_LOGIN_PATTERN = /^(?=.{1,39}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

export class UsernameParams {
  @ApiProperty({ example: 'octocat', pattern: GITHUB_LOGIN_PATTERN.source })
  @Matches(GITHUB_LOGIN_PATTERN, {
    message:
      'username must be a GitHub login: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen',
  })
  username: string;
}
