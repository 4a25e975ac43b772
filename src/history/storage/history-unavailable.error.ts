import { ApiResponse } from '@nestjs/swagger';
import { problemResponse } from '../../common/api-problem-responses.decorator';
import { ProblemError } from '../../common/problem-error';

/** The history database cannot be reached (or is still starting): only history routes answer this. */
export class HistoryUnavailableError extends ProblemError {
  override readonly name = 'HistoryUnavailableError';
  readonly status = 503;
  readonly title = 'History unavailable';
  readonly slug = 'history-unavailable';
  override readonly retryAfterSeconds = 30;
}

/** Documents the 503 of a history route: the database, or GitHub's budget. */
export function ApiHistoryUnavailable(): MethodDecorator {
  return ApiResponse({
    status: 503,
    ...problemResponse(
      503,
      "The history database is unreachable (`history-unavailable`), or GitHub's rate limit is spent; `Retry-After` says when to try again",
    ),
  });
}
