import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpReply, sendRequest } from '../shared/http-request';

/** One GET, with a deadline (30 s unless told); `agent` false opens a connection of its own. */
export function get(
  url: string,
  options: { agent?: Agent | false; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<HttpReply> {
  return sendRequest(url, { ...options, timeoutMs: options.timeoutMs ?? 30_000 });
}

/** What a batch of requests got back: statuses, `X-Cache` values and latencies. */
export interface Tally {
  sent: number;
  statuses: Record<string, number>;
  xCache: Record<string, number>;
  errors: number;
  firstError?: string;
  latencyMs: { p50: number; p99: number; max: number };
  elapsedMs: number;
}

class Recorder {
  private readonly statuses: Record<string, number> = {};
  private readonly xCache: Record<string, number> = {};
  private readonly latencies: number[] = [];
  private errors = 0;
  private firstError: string | undefined;
  sent = 0;

  record(outcome: PromiseSettledResult<HttpReply>): void {
    if (outcome.status === 'rejected') {
      this.errors++;
      this.firstError ??=
        outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      return;
    }
    const reply = outcome.value;
    this.statuses[reply.status] = (this.statuses[reply.status] ?? 0) + 1;
    const cache = String(reply.headers['x-cache'] ?? 'none');
    this.xCache[cache] = (this.xCache[cache] ?? 0) + 1;
    this.latencies.push(reply.ms);
  }

  tally(elapsedMs: number): Tally {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number): number =>
      sorted.length === 0
        ? 0
        : round1(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
    return {
      sent: this.sent,
      statuses: this.statuses,
      xCache: this.xCache,
      errors: this.errors,
      ...(this.firstError ? { firstError: this.firstError } : {}),
      latencyMs: { p50: at(0.5), p99: at(0.99), max: at(1) },
      elapsedMs: Math.round(elapsedMs),
    };
  }
}

/** Every URL requested at the same instant, each on a connection of its own. */
export async function burst(urls: string[], timeoutMs = 30_000): Promise<Tally> {
  const recorder = new Recorder();
  const started = performance.now();
  recorder.sent = urls.length;
  const outcomes = await Promise.allSettled(
    urls.map((url) => get(url, { agent: false, timeoutMs })),
  );
  outcomes.forEach((outcome) => recorder.record(outcome));
  return recorder.tally(performance.now() - started);
}

/**
 * `count` GETs spread evenly over `seconds` (request i is due at i * seconds / count), over a
 * keep-alive pool. Bounded: at most `maxInFlight` at once (a due request waits for a slot), and
 * the whole run is abandoned with an error `graceSeconds` after the window ends.
 */
export async function paced(
  url: string,
  options: {
    count: number;
    seconds: number;
    maxInFlight: number;
    graceSeconds: number;
    onProgress?: (done: number) => void;
  },
): Promise<Tally & { lateStarts: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxInFlight });
  const recorder = new Recorder();
  const intervalMs = (options.seconds * 1000) / options.count;
  const started = performance.now();
  const deadline = started + (options.seconds + options.graceSeconds) * 1000;
  const pending = new Set<Promise<void>>();
  let lateStarts = 0;
  let lastProgress = started;
  try {
    for (let i = 0; i < options.count; i++) {
      const due = started + i * intervalMs;
      let now = performance.now();
      if (now < due) {
        await sleep(due - now);
      }
      while (pending.size >= options.maxInFlight) {
        await Promise.race(pending);
      }
      now = performance.now();
      if (now > deadline) {
        throw new Error(
          `paced load: still sending after ${options.seconds + options.graceSeconds} s; the app is far too slow`,
        );
      }
      if (now - due > 50) {
        lateStarts++;
      }
      recorder.sent++;
      const one: Promise<void> = get(url, { agent, timeoutMs: 30_000 }).then(
        (reply) => recorder.record({ status: 'fulfilled', value: reply }),
        (error: unknown) => recorder.record({ status: 'rejected', reason: error }),
      );
      const tracked = one.finally(() => pending.delete(tracked));
      pending.add(tracked);
      if (options.onProgress && now - lastProgress >= 10_000) {
        lastProgress = now;
        options.onProgress(i);
      }
    }
    const rest = Promise.all(pending);
    const timedOut = await Promise.race([
      rest.then(() => false),
      sleep(Math.max(0, deadline - performance.now())).then(() => true),
    ]);
    if (timedOut) {
      throw new Error(
        `paced load: ${pending.size} requests still unanswered ${options.graceSeconds} s after the window`,
      );
    }
  } finally {
    agent.destroy();
  }
  return { ...recorder.tally(performance.now() - started), lateStarts };
}

/** How long and how hard autocannon loads a route. */
export interface LoadSettings {
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface CannonResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** Server CPU (user + system) per answered request, in microseconds; undefined off Linux. */
  cpuUsPerRequest: number | undefined;
  /** Of that, the kernel's (system time: the socket writes and reads, mostly). */
  systemUsPerRequest: number | undefined;
  /** Cores the server kept busy on average (1.0 = one core all the time); undefined off Linux. */
  serverCores: number | undefined;
  /** Cores this process (autocannon) kept busy: near 1.0 means the load generator was the limit. */
  loadgenCores: number;
  /** Bytes received per answer, status line and headers included: what crossed the wire. */
  bytesPerRequest: number;
}

/**
 * autocannon at `connections` for `seconds` (an unmeasured warm-up first). With the server's
 * `pid`, also its CPU time over the measured window, read from /proc: CPU per request is far
 * steadier than requests per second on a machine other work shares.
 */
export async function cannon(
  url: string,
  { connections, seconds, warmupSeconds }: LoadSettings,
  pid?: number,
  headers: Record<string, string> = {},
): Promise<CannonResult> {
  if (warmupSeconds > 0) {
    await autocannon({ url, connections, duration: warmupSeconds, timeout: 10, headers });
  }
  const serverBefore = cpuSecondsOf(pid);
  const ownBefore = process.cpuUsage();
  const result = await autocannon({ url, connections, duration: seconds, timeout: 10, headers });
  const own = process.cpuUsage(ownBefore);
  const serverAfter = cpuSecondsOf(pid);
  const serverCpu =
    serverBefore !== undefined && serverAfter !== undefined
      ? serverAfter.total - serverBefore.total
      : undefined;
  const serverSystem =
    serverBefore !== undefined && serverAfter !== undefined
      ? serverAfter.system - serverBefore.system
      : undefined;
  return {
    rps: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    cpuUsPerRequest:
      serverCpu === undefined || result.requests.total === 0
        ? undefined
        : Math.round((serverCpu * 1e6) / result.requests.total),
    systemUsPerRequest:
      serverSystem === undefined || result.requests.total === 0
        ? undefined
        : Math.round((serverSystem * 1e6) / result.requests.total),
    serverCores: serverCpu === undefined ? undefined : round2(serverCpu / result.duration),
    loadgenCores: round2((own.user + own.system) / 1e6 / result.duration),
    bytesPerRequest:
      result.requests.total === 0 ? 0 : Math.round(result.throughput.total / result.requests.total),
  };
}

/**
 * Loads a route the app has cached: a sample with `headers` must be a 200 HIT (handed to
 * `onSample` before the load), every answer under load a 2xx, and the route a HIT of the same
 * size afterwards; otherwise the figures would not be those of cached GETs, and this throws.
 */
export async function cachedLoad(
  app: { name: string; url: string; pid: number },
  path: string,
  load: LoadSettings,
  options: { headers?: Record<string, string>; onSample?: (sample: HttpReply) => Promise<void> },
): Promise<{ sample: HttpReply; result: CannonResult }> {
  const headers = options.headers ?? {};
  const hit = async (when: string, bytes?: number): Promise<HttpReply> => {
    const reply = await get(app.url + path, { headers });
    const cache = String(reply.headers['x-cache']);
    if (
      reply.status !== 200 ||
      cache !== 'HIT' ||
      (bytes ?? reply.body.length) !== reply.body.length
    ) {
      throw new Error(
        `${app.name}: ${when} GET ${path} answered ${reply.status}, X-Cache ${cache}, ${reply.body.length} bytes: ${reply.body.toString('utf8').slice(0, 300)}`,
      );
    }
    return reply;
  };
  const sample = await hit('before the load,');
  await options.onSample?.(sample);
  const result = await cannon(app.url + path, load, app.pid, headers);
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) {
    throw new Error(
      `${app.name}: ${failed} of ${result.total} requests under load were not 2xx (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}); the figures would not be those of cached GETs`,
    );
  }
  await hit('after the load,', sample.body.length);
  return { sample, result };
}

let clockTicks: number | undefined;

/** A process's CPU seconds so far (user + system, and system), from /proc/<pid>/stat (Linux only). */
function cpuSecondsOf(pid: number | undefined): { total: number; system: number } | undefined {
  if (pid === undefined) {
    return undefined;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const [user, system] = [Number(fields[11]) / clockTicks, Number(fields[12]) / clockTicks];
    return { total: user + system, system };
  } catch {
    return undefined;
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
