/**
 * The promise a Redis of this repository must keep about its password, checked from the files
 * that start it (compose `command`/`environment`/`healthcheck`, Kubernetes `args`/`env`/probe):
 * redis-server runs with `--requirepass`, the API's REDIS_URL carries that same password, and the
 * health check authenticates and wants PONG. The API keeps shared state in Redis (the
 * secondary-rate-limit pause, throttling counts): an open Redis lets anyone who reaches it
 * write them.
 *
 * The password is compared as written, not as resolved: `$(REDIS_PASSWORD)` in Kubernetes,
 * `${REDIS_PASSWORD:-...}` in compose. Each place must use the same expression.
 */

/** The value after `--name` in a redis-server argument list (`--name value`). */
function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

export interface RedisWithClient {
  /** redis-server's arguments (compose `command` without `redis-server`, or Kubernetes `args`). */
  args: string[];
  /** The Redis container's environment, by name. */
  env: Record<string, string | undefined>;
  /** The command its health check runs (compose `healthcheck.test`, a probe's `exec.command`). */
  healthCheck: string[];
  /** The API's REDIS_URL. */
  clientUrl: string | undefined;
}

/** What is wrong with how a Redis and the API share its password; empty when nothing is. */
export function redisPasswordProblems(redis: RedisWithClient): string[] {
  const problems: string[] = [];
  const password = option(redis.args, 'requirepass');
  // Without one, that is the problem: the checks of where it is carried would only repeat it.
  const hasPassword = password !== undefined && password.trim() !== '';
  if (!hasPassword) {
    problems.push(
      `redis-server needs --requirepass with a password (got ${password === undefined ? 'no --requirepass' : 'an empty one'}): without it anyone who reaches Redis can write the API's shared state`,
    );
  }
  const protectedMode = option(redis.args, 'protected-mode');
  if (protectedMode !== 'yes') {
    problems.push(
      `--protected-mode must be yes (got ${protectedMode ?? 'nothing'}): should the password ever be empty, Redis then refuses remote clients instead of serving them`,
    );
  }
  if (hasPassword && redis.env.REDISCLI_AUTH !== password) {
    problems.push(
      `REDISCLI_AUTH in the Redis container must be the --requirepass value ${password} (got ${redis.env.REDISCLI_AUTH ?? 'nothing'}): redis-cli, the health check's, cannot authenticate otherwise`,
    );
  }
  const check = redis.healthCheck.join(' ');
  if (!/redis-cli ping/.test(check) || !/PONG/.test(check)) {
    problems.push(
      `the health check must run redis-cli ping and want PONG (got "${check}"): redis-cli exits 0 on NOAUTH, so the exit status alone says nothing`,
    );
  }
  const urlPassword = passwordInUrl(redis.clientUrl);
  if (hasPassword && urlPassword !== password) {
    problems.push(
      `REDIS_URL must carry the --requirepass value ${password} as its password, e.g. redis://:${password}@host:6379 (got ${redis.clientUrl ?? 'no REDIS_URL'})`,
    );
  }
  return problems;
}

/** The password part of a redis:// or rediss:// URL, decoded; undefined when there is none. */
export function passwordInUrl(url: string | undefined): string | undefined {
  if (url === undefined || !/^rediss?:\/\//.test(url)) {
    return undefined;
  }
  try {
    const { password } = new URL(url);
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}
