import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** GitHub's login rule: 1–39 letters, digits or single hyphens, no hyphen at either end. */
export const GITHUB_LOGIN_PATTERN = /^(?=.{1,39}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
/** GitHub's repository-name rule: 1–100 letters, digits, `.`, `-`, `_`; never `.` or `..`. */
export const GITHUB_REPO_NAME_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

const LOGIN_RULE =
  'a GitHub login: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen';

export class UsernameParams {
  @ApiProperty({ example: 'octocat', pattern: GITHUB_LOGIN_PATTERN.source })
  @Matches(GITHUB_LOGIN_PATTERN, { message: `username must be ${LOGIN_RULE}` })
  username: string;
}

export class OrgParams {
  @ApiProperty({ example: 'github', pattern: GITHUB_LOGIN_PATTERN.source })
  @Matches(GITHUB_LOGIN_PATTERN, { message: `org must be ${LOGIN_RULE}` })
  org: string;
}

export class RepoParams {
  @ApiProperty({ example: 'octocat', pattern: GITHUB_LOGIN_PATTERN.source })
  @Matches(GITHUB_LOGIN_PATTERN, { message: `owner must be ${LOGIN_RULE}` })
  owner: string;

  @ApiProperty({ example: 'Hello-World', pattern: GITHUB_REPO_NAME_PATTERN.source })
  @Matches(GITHUB_REPO_NAME_PATTERN, {
    message:
      'repo must be a GitHub repository name: 1-100 letters, digits, ".", "-" or "_", and not "." or ".."',
  })
  repo: string;
}
