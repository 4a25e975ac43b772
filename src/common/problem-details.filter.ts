import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { InvalidRequestError } from './invalid-request.error';
import { Problem, PROBLEM_CONTENT_TYPE, problemType } from './problem';
import { ProblemError } from './problem-error';

/** The parts of a request and reply we use: the same on Fastify and Express. */
interface HttpRequestLike {
  url?: string;
  originalUrl?: string;
}
interface HttpReplyLike {
  status(code: number): HttpReplyLike;
  header(name: string, value: string): HttpReplyLike;
  send(body: string): unknown;
}

/** Terminus's own health body, which probes and operators expect as it is. */
function isHealthCheckBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'status' in body && 'details' in body;
}

/**
 * Shapes every error as `application/problem+json`. Known errors keep their status; anything else
 * is logged and becomes a generic 500 that says nothing of the internals (no stack, no message).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const reply = http.getResponse<HttpReplyLike>();
    const instance = (request.originalUrl ?? request.url ?? '/').split('?')[0];

    if (exception instanceof HttpException && isHealthCheckBody(exception.getResponse())) {
      reply
        .status(exception.getStatus())
        .header('content-type', 'application/json')
        .send(JSON.stringify(exception.getResponse()));
      return;
    }
    const problem = this.toProblem(exception, instance);
    if (problem.retryAfter !== undefined) {
      reply.header('retry-after', String(problem.retryAfter));
    }
    reply
      .status(problem.status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, instance: string): Problem {
    if (exception instanceof InvalidRequestError) {
      return {
        type: problemType('invalid-request'),
        title: 'Bad Request',
        status: 400,
        detail: exception.message,
        instance,
        errors: exception.invalidParameters,
      };
    }
    if (exception instanceof ProblemError) {
      // Only our own message is logged: the cause may hold request config with the token.
      this.logger.warn({ error: exception.name, status: exception.status }, exception.message);
      return {
        type: problemType(exception.slug),
        title: exception.title,
        status: exception.status,
        detail: exception.message,
        instance,
        ...(exception.retryAfterSeconds === undefined
          ? {}
          : { retryAfter: exception.retryAfterSeconds }),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return {
        type: problemType(slugOf(status)),
        title: HttpStatus[status] ? titleOf(status) : 'Error',
        status,
        detail: exception.message,
        instance,
      };
    }
    this.logger.error(
      {
        error: exception instanceof Error ? exception.name : typeof exception,
        message: exception instanceof Error ? exception.message : undefined,
      },
      'Unhandled error',
    );
    return {
      type: problemType('internal-error'),
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance,
    };
  }
}

function slugOf(status: number): string {
  return (HttpStatus[status] ?? 'error').toLowerCase().replace(/_/g, '-');
}

function titleOf(status: number): string {
  return (HttpStatus[status] ?? 'Error')
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
