import { RedisClientType } from '@redis/client';

/**
 * For each client key: add this replica's increment to the shared window's total; a key that
 * did not exist starts the window, so it expires one window later; answer the total and the
 * milliseconds the window has left. One script, so the INCRBY and its PEXPIRE cannot be split
 * (a key without expiry would never reset its client's budget).
 * KEYS[i] is a client; ARGV[2i-1] its increment, ARGV[2i] the window's length in ms.
 */
const ADD_SCRIPT = `
local replies = {}
for i, key in ipairs(KEYS) do
  local total = redis.call('INCRBY', key, ARGV[2 * i - 1])
  local remaining = redis.call('PTTL', key)
  if remaining < 0 then
    redis.call('PEXPIRE', key, ARGV[2 * i])
    remaining = tonumber(ARGV[2 * i])
  end
  replies[2 * i - 1] = total
  replies[2 * i] = remaining
end
return replies`;

/** Keys per script call: a sync of many clients is split so that Redis is never held long. */
export const KEYS_PER_CALL = 500;

export interface WindowIncrement {
  key: string;
  increment: number;
  ttlMs: number;
}

export interface WindowTotal {
  total: number;
  remainingMs: number;
}

/**
 * Adds every increment to its shared window in Redis and answers the windows, in order.
 * `timeout` bounds each call, so a slow Redis delays the next sync, never a request.
 */
export async function addToWindowTotals(
  client: RedisClientType,
  increments: WindowIncrement[],
  timeout: <T>(call: Promise<T>) => Promise<T>,
): Promise<WindowTotal[]> {
  const windows: WindowTotal[] = [];
  for (let start = 0; start < increments.length; start += KEYS_PER_CALL) {
    const chunk = increments.slice(start, start + KEYS_PER_CALL);
    const reply = (await timeout(
      client.eval(ADD_SCRIPT, {
        keys: chunk.map((c) => c.key),
        arguments: chunk.flatMap((c) => [String(c.increment), String(c.ttlMs)]),
      }),
    )) as number[];
    for (let i = 0; i < chunk.length; i++) {
      windows.push({ total: reply[2 * i], remainingMs: reply[2 * i + 1] });
    }
  }
  return windows;
}
