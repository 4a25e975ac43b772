/**
 * Redis runs bounded and password-protected wherever this repository starts it: docker-compose.yml
 * here, deploy/base in k8s-manifests.test.ts. And the checks themselves catch what they claim to.
 * (Both live in this file because `npm run test:delivery` names the files it runs.)
 *
 *   npx tsx --test scripts/delivery/redis-memory.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { passwordInUrl, redisPasswordProblems } from './redis-auth';
import type { RedisWithClient } from './redis-auth';
import { parseLimitBytes, parseRedisBytes, redisMemoryProblems } from './redis-memory';

const GOOD = ['--save', '', '--maxmemory', '256mb', '--maxmemory-policy', 'allkeys-lru'];

/** GOOD with `--name`'s value replaced, or the option removed when `value` is undefined. */
function withOption(name: string, value: string | undefined): string[] {
  const args = [...GOOD];
  const index = args.indexOf(`--${name}`);
  if (value === undefined) {
    args.splice(index, 2);
  } else {
    args[index + 1] = value;
  }
  return args;
}

describe('redisMemoryProblems', () => {
  it('should accept maxmemory under the limit with allkeys-lru or allkeys-lfu', () => {
    assert.deepEqual(redisMemoryProblems(GOOD, '320m'), []);
    assert.deepEqual(redisMemoryProblems(withOption('maxmemory-policy', 'allkeys-lfu'), '1Gi'), []);
  });

  it('should refuse a Redis without maxmemory, or with maxmemory 0 (unbounded)', () => {
    for (const args of [withOption('maxmemory', undefined), withOption('maxmemory', '0')]) {
      const problems = redisMemoryProblems(args, '320m');
      assert.equal(problems.length, 1, args.join(' '));
      assert.match(problems[0], /--maxmemory must be set/);
    }
  });

  it('should refuse no policy, noeviction and the volatile-* policies', () => {
    for (const policy of [undefined, 'noeviction', 'volatile-lru', 'volatile-ttl']) {
      const problems = redisMemoryProblems(withOption('maxmemory-policy', policy), '320m');
      assert.equal(problems.length, 1, String(policy));
      assert.match(problems[0], /--maxmemory-policy must be allkeys-lru or allkeys-lfu/);
    }
  });

  it('should refuse no memory limit, or a maxmemory without head-room under it', () => {
    assert.match(redisMemoryProblems(GOOD, undefined).join(), /needs a memory limit/);
    assert.match(redisMemoryProblems(GOOD, '256Mi').join(), /more than 80 %/);
    assert.match(redisMemoryProblems(GOOD, '300m').join(), /more than 80 %/);
  });

  it("should read sizes in Redis's and Kubernetes' units", () => {
    assert.equal(parseRedisBytes('256mb'), 256 * 1024 ** 2);
    assert.equal(parseRedisBytes('100m'), 100e6);
    assert.equal(parseRedisBytes('1gb'), 1024 ** 3);
    assert.equal(parseRedisBytes('lots'), undefined);
    assert.equal(parseLimitBytes('256Mi'), 256 * 1024 ** 2);
    assert.equal(parseLimitBytes('256M'), 256e6);
    assert.equal(parseLimitBytes('320m'), 320 * 1024 ** 2);
    assert.equal(parseLimitBytes('lots'), undefined);
  });
});

describe('redisPasswordProblems', () => {
  const PASSWORD = '$(REDIS_PASSWORD)';
  const good: RedisWithClient = {
    args: ['--maxmemory', '256mb', '--requirepass', PASSWORD, '--protected-mode', 'yes'],
    env: { REDISCLI_AUTH: PASSWORD },
    healthCheck: ['sh', '-c', 'redis-cli ping | grep -q PONG'],
    clientUrl: `redis://:${PASSWORD}@redis:6379`,
  };
  const problemsWith = (change: Partial<RedisWithClient>) =>
    redisPasswordProblems({ ...good, ...change });

  it('should accept the password on Redis, in REDISCLI_AUTH and in REDIS_URL, with or without a user', () => {
    assert.deepEqual(redisPasswordProblems(good), []);
    assert.deepEqual(problemsWith({ clientUrl: `rediss://default:${PASSWORD}@redis:6380` }), []);
  });

  it('should refuse a Redis without --requirepass, or with an empty one', () => {
    for (const args of [
      ['--maxmemory', '256mb', '--protected-mode', 'yes'],
      ['--requirepass', '', '--protected-mode', 'yes'],
    ]) {
      const problems = problemsWith({ args });
      assert.equal(problems.length, 1, args.join(' '));
      assert.match(problems[0], /redis-server needs --requirepass with a password/);
    }
  });

  it('should refuse protected mode off', () => {
    const problems = problemsWith({ args: ['--requirepass', PASSWORD, '--protected-mode', 'no'] });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /--protected-mode must be yes \(got no\)/);
  });

  it('should refuse a REDIS_URL without the password, or with another one', () => {
    for (const clientUrl of [
      'redis://redis:6379',
      'redis://:other@redis:6379',
      'redis://default@redis:6379',
      undefined,
    ]) {
      const problems = problemsWith({ clientUrl });
      assert.equal(problems.length, 1, String(clientUrl));
      assert.match(problems[0], /REDIS_URL must carry the --requirepass value/);
    }
  });

  it('should refuse a health check that cannot authenticate or that believes the exit status', () => {
    assert.match(problemsWith({ env: {} }).join(), /REDISCLI_AUTH in the Redis container must be/);
    const exitStatusOnly = problemsWith({ healthCheck: ['redis-cli', 'ping'] });
    assert.equal(exitStatusOnly.length, 1);
    assert.match(exitStatusOnly[0], /must run redis-cli ping and want PONG/);
  });

  it('should read the password of a URL, decoded', () => {
    assert.equal(passwordInUrl('redis://:p%40ss@h:6379'), 'p@ss');
    assert.equal(passwordInUrl('redis://h:6379'), undefined);
    assert.equal(passwordInUrl('http://:x@h'), undefined);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
    services: Record<
      string,
      {
        command?: string[];
        mem_limit?: string | number;
        environment?: Record<string, string>;
        healthcheck?: { test?: string[] };
      }
    >;
  };

  it('should bound Redis: maxmemory under its mem_limit, allkeys eviction', () => {
    const redis = compose.services.redis;
    assert.ok(redis, 'docker-compose.yml has no redis service');
    assert.ok(Array.isArray(redis.command), 'the redis command is a list (exec form)');
    assert.deepEqual(redisMemoryProblems(redis.command, redis.mem_limit), []);
  });

  it("should run Redis with a password that the API's REDIS_URL and the healthcheck carry", () => {
    const { redis, api } = compose.services;
    assert.deepEqual(
      redisPasswordProblems({
        args: redis.command ?? [],
        env: redis.environment ?? {},
        healthCheck: redis.healthcheck?.test ?? [],
        clientUrl: api.environment?.REDIS_URL,
      }),
      [],
    );
  });

  it('should leave TRUST_PROXY off: no proxy stands in front of the published port', () => {
    assert.ok(!('TRUST_PROXY' in (compose.services.api.environment ?? {})));
  });
});
