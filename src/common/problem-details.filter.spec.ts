import {
  ArgumentsHost,
  HttpException,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InvalidRequestError } from './invalid-request.error';
import { ProblemDetailsFilter } from './problem-details.filter';
import { ProblemError } from './problem-error';

// Problem errors as a feature declares them (GitHub's own are checked in github-errors.spec.ts).
class NotFoundError extends ProblemError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly title = 'Not Found';
  readonly slug = 'not-found';
}
class BadGatewayError extends ProblemError {
  override readonly name = 'BadGatewayError';
  readonly status = 502;
  readonly title = 'Bad Gateway';
  readonly slug = 'upstream-failure';
}
class TimeoutError extends ProblemError {
  override readonly name = 'TimeoutError';
  readonly status = 504;
  readonly title = 'Gateway Timeout';
  readonly slug = 'upstream-timeout';
}
class RateLimitedError extends ProblemError {
  override readonly name = 'RateLimitedError';
  readonly status = 503;
  readonly title = 'GitHub rate limit reached';
  readonly slug = 'rate-limited';

  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Records what the filter does to the reply, as Fastify's reply would receive it. */
class FakeReply {
  statusCode?: number;
  readonly headers: Record<string, string> = {};
  body?: string;
  sends = 0;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  send(body: string): this {
    this.body = body;
    this.sends++;
    return this;
  }

  json(): Record<string, unknown> {
    return JSON.parse(this.body ?? 'null') as Record<string, unknown>;
  }
}

function handle(
  exception: unknown,
  request: { url?: string; originalUrl?: string } = { url: '/github/repos/octocat' },
): FakeReply {
  const reply = new FakeReply();
  const host = {
    switchToHttp: () => ({
      getRequest: () => request,
      getResponse: () => reply,
      getNext: () => undefined,
    }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return reply;
}

describe(ProblemDetailsFilter.name, () => {
  let logError: jest.SpyInstance;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    logError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('should answer an invalid request with 400 and every wrong parameter', () => {
    // Arrange
    const error = new InvalidRequestError([
      {
        parameter: 'sort',
        message: 'sort must be one of stars, forks, name, updated, pushed, created',
      },
      { parameter: 'perPage', message: 'perPage must be an integer from 1 to 100' },
    ]);

    // Act
    const reply = handle(error, { url: '/github/repos/octocat?sort=size&perPage=500' });

    // Assert
    expect(reply.statusCode).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json()).toEqual({
      type: 'urn:github-dashboard:problem:invalid-request',
      title: 'Bad Request',
      status: 400,
      detail:
        'sort must be one of stars, forks, name, updated, pushed, created; perPage must be an integer from 1 to 100',
      instance: '/github/repos/octocat',
      errors: [
        {
          parameter: 'sort',
          message: 'sort must be one of stars, forks, name, updated, pushed, created',
        },
        { parameter: 'perPage', message: 'perPage must be an integer from 1 to 100' },
      ],
    });
    expect(reply.sends).toBe(1);
  });

  it.each<[string, ProblemError, number, string, string]>([
    [
      'a not-found problem',
      new NotFoundError('GitHub has no such user or resource'),
      404,
      'not-found',
      'Not Found',
    ],
    [
      'a bad-gateway problem',
      new BadGatewayError('GitHub answered 500'),
      502,
      'upstream-failure',
      'Bad Gateway',
    ],
    [
      'a timeout problem',
      new TimeoutError('GitHub did not answer within 10000 ms'),
      504,
      'upstream-timeout',
      'Gateway Timeout',
    ],
  ])('should answer %s with %i as problem+json', (_name, error, status, slug, title) => {
    // Act
    const reply = handle(error);

    // Assert
    expect(reply.statusCode).toBe(status);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.headers['retry-after']).toBeUndefined();
    expect(reply.json()).toEqual({
      type: `urn:github-dashboard:problem:${slug}`,
      title,
      status,
      detail: error.message,
      instance: '/github/repos/octocat',
    });
  });

  it('should send Retry-After and retryAfter when the problem error names a wait', () => {
    // Arrange
    const error = new RateLimitedError('GitHub rate limit exhausted', 1800);

    // Act
    const reply = handle(error);

    // Assert
    expect(reply.statusCode).toBe(503);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.headers['retry-after']).toBe('1800');
    expect(reply.json()).toEqual({
      type: 'urn:github-dashboard:problem:rate-limited',
      title: 'GitHub rate limit reached',
      status: 503,
      detail: 'GitHub rate limit exhausted',
      instance: '/github/repos/octocat',
      retryAfter: 1800,
    });
  });

  it("should say nothing of a problem error's cause", () => {
    // Arrange
    const cause = new Error('Request failed; Authorization: Bearer ghp_secret123');
    const error = new BadGatewayError('GitHub answered 500', { cause });

    // Act
    const reply = handle(error);

    // Assert
    expect(reply.body).not.toContain('ghp_secret123');
    expect(reply.body).not.toContain('Authorization');
  });

  it('should answer an unexpected error with a generic 500 that hides its message and stack', () => {
    // Arrange
    const error = new TypeError("Cannot read properties of undefined (reading 'password')");

    // Act
    const reply = handle(error);

    // Assert
    expect(reply.statusCode).toBe(500);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json()).toEqual({
      type: 'urn:github-dashboard:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/github/repos/octocat',
    });
    expect(reply.body).not.toContain('password');
    expect(reply.body).not.toContain('TypeError');
    expect(reply.body).not.toContain('.ts:');
  });

  it('should log an unexpected error', () => {
    // Act
    handle(new Error('disk on fire'));

    // Assert
    expect(logError).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a string', 'boom'],
    ['null', null],
    ['a plain object', { message: 'secret' }],
  ])('should answer a thrown %s with a generic 500', (_label, thrown) => {
    // Act
    const reply = handle(thrown);

    // Assert
    expect(reply.statusCode).toBe(500);
    expect(reply.json()).toMatchObject({ status: 500, detail: 'An unexpected error occurred.' });
    expect(reply.body).not.toContain('secret');
  });

  it("should keep an HttpException's status, such as Nest's 404 for an unknown route", () => {
    // Arrange
    const error = new NotFoundException('Cannot GET /nope');

    // Act
    const reply = handle(error, { url: '/nope?x=1' });

    // Assert
    expect(reply.statusCode).toBe(404);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json()).toEqual({
      type: 'urn:github-dashboard:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /nope',
      instance: '/nope',
    });
  });

  it('should title a multi-word status in words', () => {
    // Act
    const reply = handle(new PayloadTooLargeException());

    // Assert
    expect(reply.statusCode).toBe(413);
    expect(reply.json()).toMatchObject({
      type: 'urn:github-dashboard:problem:payload-too-large',
      title: 'Payload Too Large',
      status: 413,
    });
  });

  it('should title a status Nest does not name as Error', () => {
    // Act
    const reply = handle(new HttpException('Client Closed Request', 499));

    // Assert
    expect(reply.statusCode).toBe(499);
    expect(reply.json()).toMatchObject({ title: 'Error', status: 499 });
  });

  it("should pass Terminus's health body through as application/json", () => {
    // Arrange
    const health = {
      status: 'error',
      info: { app: { status: 'up' } },
      error: { redis: { status: 'down', message: 'connect ECONNREFUSED' } },
      details: {
        app: { status: 'up' },
        redis: { status: 'down', message: 'connect ECONNREFUSED' },
      },
    };

    // Act
    const reply = handle(new ServiceUnavailableException(health), { url: '/health/ready' });

    // Assert
    expect(reply.statusCode).toBe(503);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.json()).toEqual(health);
    expect(reply.sends).toBe(1);
  });

  it('should prefer originalUrl for the instance', () => {
    // Act
    const reply = handle(new NotFoundError('GitHub has no such user or resource'), {
      url: '/repos/ghost',
      originalUrl: '/api/github/repos/ghost?page=2',
    });

    // Assert
    expect(reply.json().instance).toBe('/api/github/repos/ghost');
  });

  it('should fall back to / when the request has no URL', () => {
    // Act
    const reply = handle(new TimeoutError('late'), {});

    // Assert
    expect(reply.json().instance).toBe('/');
  });
});
