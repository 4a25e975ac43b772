import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

/** One parameter of a 400 that was wrong, and the rule it broke. */
export class ProblemParameterError {
  @ApiProperty({ example: 'sort' }) parameter: string;
  @ApiProperty({ example: 'sort must be one of stars, forks, name, updated, pushed, created' })
  message: string;
}

/** RFC 9457 problem details: the body of every error this service sends. */
export class Problem {
  @ApiProperty({ example: 'urn:github-dashboard:problem:invalid-request' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'sort must be one of stars, forks, name, updated, pushed, created' })
  detail: string;
  @ApiProperty({ example: '/github/repos/octocat' }) instance: string;
  // The type is named: from an inline `{ ... }[]` the document said "array of strings".
  @ApiPropertyOptional({
    type: [ProblemParameterError],
    description: 'For 400: each parameter that was wrong and the rule it broke',
    example: [
      {
        parameter: 'sort',
        message: 'sort must be one of stars, forks, name, updated, pushed, created',
      },
    ],
  })
  errors?: ProblemParameterError[];
  @ApiPropertyOptional({
    description: 'For 503: seconds until GitHub will answer again',
    example: 1800,
  })
  retryAfter?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(slug: string): string {
  return `urn:github-dashboard:problem:${slug}`;
}

/** The `instance` of a request refused before routing: its path only, cut short, as it may be what was wrong. */
export function refusedInstance(url: string): string {
  return url.split('?')[0].slice(0, 200);
}

/** Sends a problem from a Fastify hook or handler, where Nest's exception filter does not reach. */
export function sendProblem(reply: FastifyReply, problem: Problem): void {
  void reply
    .code(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem));
}
