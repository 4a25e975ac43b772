/**
 * The promise a cache Redis must keep, checked from its command line (compose `command`,
 * Kubernetes `args`): a `--maxmemory` below its container's memory limit, and an `allkeys-*`
 * eviction policy. Without them Redis grows until the container is OOM-killed (every replica
 * then loses the shared cache at once), or, with `noeviction`, refuses writes when full.
 */

/** Eviction policies that may evict any key: every key here is a re-fetchable cache entry. */
const CACHE_POLICIES = ['allkeys-lru', 'allkeys-lfu'];

/**
 * Redis's head-room above `maxmemory` (allocator fragmentation, client buffers, the process
 * itself): maxmemory must stay at or under this share of the container's limit.
 */
export const MAX_SHARE_OF_LIMIT = 0.8;

/** Bytes for a Redis memory value: `256mb`, `1gb`, `100m` (Redis: k/m/g are 1000s, kb/mb/gb 1024s). */
export function parseRedisBytes(value: string): number | undefined {
  const match = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const units: Record<string, number> = {
    b: 1,
    k: 1e3,
    kb: 1024,
    m: 1e6,
    mb: 1024 ** 2,
    g: 1e9,
    gb: 1024 ** 3,
  };
  return Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()];
}

/** Bytes for a Kubernetes memory quantity (`256Mi`, `1G`) or a compose size (`320m`, `1g`). */
export function parseLimitBytes(value: string | number): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G|k|m|g|b)?$/.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const units: Record<string, number> = {
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    K: 1e3,
    M: 1e6,
    G: 1e9,
    // compose (Docker) sizes: k, m, g are binary.
    k: 1024,
    m: 1024 ** 2,
    g: 1024 ** 3,
    b: 1,
  };
  return Number(match[1]) * units[match[2] ?? 'b'];
}

/** The value after `--name` in a redis-server argument list (`--name value`). */
function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

/**
 * What is wrong with a cache Redis started with `args` in a container limited to
 * `memoryLimit` (undefined: no limit set); empty when nothing is.
 */
export function redisMemoryProblems(
  args: string[],
  memoryLimit: string | number | undefined,
): string[] {
  const problems: string[] = [];
  const maxmemory = option(args, 'maxmemory');
  const maxBytes = maxmemory === undefined ? undefined : parseRedisBytes(maxmemory);
  if (maxBytes === undefined || maxBytes === 0) {
    problems.push(
      `--maxmemory must be set to a size such as 256mb (got ${maxmemory ?? 'nothing'}): 0 or none means unbounded`,
    );
  }
  const policy = option(args, 'maxmemory-policy');
  if (policy === undefined || !CACHE_POLICIES.includes(policy)) {
    problems.push(
      `--maxmemory-policy must be ${CACHE_POLICIES.join(' or ')} (got ${policy ?? 'nothing'}): noeviction refuses writes when full, and volatile-* evicts only keys with a TTL, then refuses too`,
    );
  }
  const limitBytes = memoryLimit === undefined ? undefined : parseLimitBytes(memoryLimit);
  if (limitBytes === undefined) {
    problems.push(
      `the container needs a memory limit that Redis's maxmemory sits under (got ${memoryLimit ?? 'none'})`,
    );
  } else if (maxBytes !== undefined && maxBytes > limitBytes * MAX_SHARE_OF_LIMIT) {
    problems.push(
      `--maxmemory ${maxmemory} is more than ${MAX_SHARE_OF_LIMIT * 100} % of the container's memory limit ${memoryLimit}: Redis needs head-room above maxmemory`,
    );
  }
  return problems;
}
