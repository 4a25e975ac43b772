import {
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

/**
 * Longer than any token GitHub documents: installation tokens (`ghs_<app id>_<JWT>`, since
 * 2026-04-27) are ~520 characters and vary in length; fine-grained ones (`github_pat_…`) ~93.
 */
export const MAX_TOKEN_LENGTH = 2048;

/** Every character of every documented token form: classic, fine-grained, installation (a JWT). */
const TOKEN_CHARACTERS = /^[A-Za-z0-9_.-]+$/;

/**
 * What is wrong with a GITHUB_TOKEN value (one token or a comma list), in words that never
 * repeat the token: undefined when nothing is.
 */
export function tokenListProblem(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value.replace(/[\t\n\r ]/g, ''))) {
    return 'contains a control character';
  }
  if (/\s/.test(value)) {
    return 'contains whitespace (a pasted line break or a space after a comma?)';
  }
  const tokens = value.split(',');
  if (tokens.some((token) => token.length === 0)) {
    return 'has an empty entry (a comma at the start, the end or twice)';
  }
  if (tokens.some((token) => token.length > MAX_TOKEN_LENGTH)) {
    return `has a token longer than ${MAX_TOKEN_LENGTH} characters`;
  }
  if (tokens.some((token) => !TOKEN_CHARACTERS.test(token))) {
    return 'has a character no GitHub token contains (quotes? only letters, digits, _ . - are)';
  }
  return undefined;
}

@ValidatorConstraint({ name: 'githubTokens' })
export class GithubTokensRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && tokenListProblem(value) === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    const problem =
      typeof args.value === 'string' ? tokenListProblem(args.value) : 'is not a string';
    return `GITHUB_TOKEN must be a GitHub token or a comma list of them; this value ${problem}`;
  }
}
