/**
 * Redis runs bounded wherever this repository starts it: docker-compose.yml here, deploy/base in
 * k8s-manifests.test.ts. And the check itself catches what it claims to.
 *
 *   npx tsx --test scripts/delivery/redis-memory.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
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

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
    services: Record<string, { command?: string[]; mem_limit?: string | number }>;
  };

  it('should bound Redis: maxmemory under its mem_limit, allkeys eviction', () => {
    const redis = compose.services.redis;
    assert.ok(redis, 'docker-compose.yml has no redis service');
    assert.ok(Array.isArray(redis.command), 'the redis command is a list (exec form)');
    assert.deepEqual(redisMemoryProblems(redis.command, redis.mem_limit), []);
  });
});
