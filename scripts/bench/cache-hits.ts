/**
 * 3. Cache hits against a bare NestJS + Fastify app and node:http (issue 23): for each body, the
 * app's cached answer is replayed by bare-nest-server.mjs and bare-server.mjs, and the three are
 * loaded in turn, interleaved so drift shows: node:http, bare Nest, the app (and its extra
 * configurations), bare Nest, node:http. Target: the app's hits at ≥ 0.5 × bare Nest's req/s.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App } from '../shared/built-app';
import { HttpReply } from '../shared/http-request';
import { Column, table, thousands } from '../shared/report-text';
import { cachedLoad, cannon, CannonResult, get, LoadSettings } from './load';
import { readProfile, summariseProfile, summaryText } from './profile-summary';
import { ReplayServers, startReplayServers } from './replay-servers';

/** Issue 23: a cache hit at half the requests per second of a bare Nest + Fastify route or better. */
export const VS_BARE_NEST_GOAL = 0.5;

/** A cached answer under test. */
export interface Body {
  /** Short name for files and the JSON report. */
  tag: string;
  label: string;
  path: string;
}

/** An extra configuration of the app, measured after the default one (not a target). */
export interface Extra {
  name: string;
  label: string;
  env: Record<string, string>;
  /** Run once the extra app has stopped (e.g. deleting its Redis keys). */
  after?: () => Promise<void>;
}

export interface CacheHitPlan {
  bodies: Body[];
  /** The route template of every body's path, as the bare Nest app registers it. */
  route: string;
  /** The app's environment for every run (LOG_LEVEL=info: the access log on). */
  env: Record<string, string>;
  /** Measured for the first body only. */
  extras: Extra[];
  load: LoadSettings;
  /** The throttle limit the app runs with: checked on its answers. */
  throttleLimit: number;
  /** BENCH_CPU_PROF: a further app run per body under --cpu-prof, profiles written here. */
  profileDir?: string;
  /** Where the replayed answers are written. */
  dir: string;
}

export interface CacheHitTools {
  launch(name: string, env: Record<string, string>): Promise<App>;
  stop(server: App | undefined): Promise<void>;
  /** Told of each replay server once it runs, so a failure stops it too. */
  track(server: App): void;
  progress(message: string): void;
}

export interface Ratio {
  /** By requests per second. */
  rps: number;
  /** By CPU per request (the reference's µs / the measured one's): the machine's other work taken out. */
  cpu: number | undefined;
}

export interface ProfiledRun {
  file: string;
  result: CannonResult;
  /** The profile's top entries over the measured window. */
  text: string;
}

export interface BodyResult {
  body: Body;
  bodyBytes: number;
  /** In the order measured. */
  runs: { server: string; result: CannonResult }[];
  node: CannonResult;
  nest: CannonResult;
  app: CannonResult;
  appVsNest: Ratio;
  nestVsNode: Ratio;
  appVsNode: Ratio;
  /** What the checks on the app's answers found: ids, throttling, metrics. */
  instrumentation: string;
  profiled?: ProfiledRun;
}

export interface CacheHitResult {
  loadBefore: number;
  bodies: BodyResult[];
}

export function cacheHitsOk(r: CacheHitResult): boolean {
  return r.bodies.every((b) => b.appVsNest.rps >= VS_BARE_NEST_GOAL);
}

export async function cacheHitRuns(
  plan: CacheHitPlan,
  tools: CacheHitTools,
  loadBefore: number,
): Promise<CacheHitResult> {
  const bodies: BodyResult[] = [];
  for (const [i, body] of plan.bodies.entries()) {
    bodies.push(await bodyRuns(plan, tools, body, i === 0 ? plan.extras : []));
  }
  return { loadBefore, bodies };
}

async function bodyRuns(
  plan: CacheHitPlan,
  tools: CacheHitTools,
  body: Body,
  extras: Extra[],
): Promise<BodyResult> {
  const { load } = plan;
  const runs: { server: string; result: CannonResult }[] = [];
  const about = `${load.connections} connections, ${load.warmupSeconds} s warm-up + ${load.seconds} s`;
  let replays: ReplayServers | undefined;
  let app: App | undefined;
  try {
    app = await tools.launch(`app-${body.tag}`, plan.env);
    const sample = await cachedSample(app, body.path);
    replays = await startReplayServers(
      sample,
      { path: body.path, route: plan.route, tag: body.tag, dir: plan.dir },
      tools.track,
    );
    const reference = async (server: string, of: App): Promise<CannonResult> => {
      tools.progress(`cache hits, ${body.tag}: ${server}, ${about}`);
      const result = await cannon(of.url + body.path, load, of.pid);
      const failed = result.non2xx + result.errors + result.timeouts;
      if (failed > 0) {
        throw new Error(`${of.name}: ${failed} of ${result.total} answers were not 2xx`);
      }
      runs.push({ server, result });
      return result;
    };
    const appRun = async (server: string, of: App): Promise<CannonResult> => {
      tools.progress(`cache hits, ${body.tag}: ${server}, ${about}`);
      const { sample: again, result } = await cachedLoad(of, body.path, load, {});
      // Another app fetched at another time (the body says when): as many bytes, not the same.
      if (again.body.length !== sample.body.length) {
        throw new Error(
          `${of.name} answered ${again.body.length} bytes for ${body.path}, the first app ${sample.body.length}`,
        );
      }
      runs.push({ server, result });
      return result;
    };

    const node1 = await reference('node:http', replays.node);
    const nest1 = await reference('bare Nest + Fastify', replays.nest);
    const appResult = await appRun('app, cache hit (LOG_LEVEL=info)', app);
    const instrumentation = await instrumentationOf(app, body.path, appResult, plan.throttleLimit);
    await tools.stop(app);
    app = undefined;
    for (const extra of extras) {
      const other = await tools.launch(extra.name, { ...plan.env, ...extra.env });
      try {
        await cachedSample(other, body.path);
        await appRun(`app, ${extra.label} (extra)`, other);
      } finally {
        await tools.stop(other);
        await extra.after?.();
      }
    }
    const nest2 = await reference('bare Nest + Fastify, again', replays.nest);
    const node2 = await reference('node:http, again', replays.node);
    const profiled = plan.profileDir
      ? await profiledRun(plan, tools, body, plan.profileDir)
      : undefined;

    const node = meanOf(node1, node2);
    const nest = meanOf(nest1, nest2);
    return {
      body,
      bodyBytes: sample.body.length,
      runs,
      node,
      nest,
      app: appResult,
      appVsNest: ratio(appResult, nest),
      nestVsNode: ratio(nest, node),
      appVsNode: ratio(appResult, node),
      instrumentation,
      profiled,
    };
  } finally {
    await tools.stop(app);
    await tools.stop(replays?.nest);
    await tools.stop(replays?.node);
  }
}

/** Fills the app's cache for `path`, then asks again: the answer must be a 200 HIT. */
async function cachedSample(app: App, path: string): Promise<HttpReply> {
  const first = await get(app.url + path);
  const sample = await get(app.url + path);
  if (first.status !== 200 || sample.status !== 200 || sample.headers['x-cache'] !== 'HIT') {
    throw new Error(
      `${app.name}: GET ${path} answered ${first.status} then ${sample.status} (X-Cache ${String(sample.headers['x-cache'])}): ${sample.body.toString('utf8').slice(0, 300)}`,
    );
  }
  return sample;
}

/**
 * The default configuration's per-request work, checked on the app's answers after the load:
 * a request id per answer, the throttle's headers at the configured limit, and every measured
 * request counted in http_requests_total. Throws when one is missing: the figures would not be
 * those of the service as it runs.
 */
async function instrumentationOf(
  app: App,
  path: string,
  result: CannonResult,
  throttleLimit: number,
): Promise<string> {
  const [a, b] = [await get(app.url + path), await get(app.url + path)];
  const ids = [a.headers['x-request-id'], b.headers['x-request-id']];
  const limit = a.headers['x-ratelimit-limit'];
  const metrics = (await get(`${app.url}/metrics`)).body.toString('utf8');
  let counted = 0;
  for (const match of metrics.matchAll(
    /^http_requests_total\{route="([^"]*)",method="GET",status="200"\} (\d+)$/gm,
  )) {
    if (match[1] !== '/metrics') {
      counted += Number(match[2]);
    }
  }
  const problems = [
    typeof ids[0] !== 'string' || ids[0] === ids[1] ? 'no distinct X-Request-Id per answer' : '',
    String(limit) !== String(throttleLimit)
      ? `X-RateLimit-Limit ${String(limit)}, not ${throttleLimit}`
      : '',
    counted < result.total ? `http_requests_total ${counted} < ${result.total} answered` : '',
  ].filter(Boolean);
  if (problems.length) {
    throw new Error(`${app.name}: instrumentation not as configured: ${problems.join('; ')}`);
  }
  return `X-Request-Id on every answer (distinct), X-RateLimit-Limit ${String(limit)}, http_requests_total ${thousands(counted)} ≥ ${thousands(result.total)} measured`;
}

/**
 * One more app run under `--cpu-prof` (its figures are not compared: the profiler costs CPU), and
 * the profile's self time over the measured window only: the window is taken from the spawn,
 * which is within milliseconds of the profile's start.
 */
async function profiledRun(
  plan: CacheHitPlan,
  tools: CacheHitTools,
  body: Body,
  root: string,
): Promise<ProfiledRun> {
  const dir = join(root, body.tag);
  const spawnedAt = performance.now();
  const app = await tools.launch(`app-${body.tag}-profiled`, {
    ...plan.env,
    NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}`,
  });
  let result: CannonResult;
  let fromMs: number;
  let toMs: number;
  try {
    await cachedSample(app, body.path);
    tools.progress(`cache hits, ${body.tag}: app under --cpu-prof (profiles in ${dir})`);
    const { connections, warmupSeconds, seconds } = plan.load;
    await cannon(app.url + body.path, { connections, seconds: warmupSeconds, warmupSeconds: 0 });
    fromMs = performance.now() - spawnedAt;
    result = await cannon(app.url + body.path, { connections, seconds, warmupSeconds: 0 }, app.pid);
    toMs = performance.now() - spawnedAt;
  } finally {
    await tools.stop(app); // the profile is written as the app exits
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) {
    throw new Error(`no .cpuprofile in ${dir} after the profiled app exited`);
  }
  const path = join(dir, file);
  const summary = summariseProfile(readProfile(path), { fromMs, toMs });
  const text = summaryText(summary, {
    top: 25,
    cpuUsPerRequest: result.cpuUsPerRequest,
    systemUsPerRequest: result.systemUsPerRequest,
    title: `${body.label}, cache hit under --cpu-prof (${thousands(result.rps)} req/s, ${thousands(result.total)} answered), ${path}, ${Math.round(fromMs)}-${Math.round(toMs)} ms after spawn`,
  });
  return { file: path, result, text };
}

function ratio(measured: CannonResult, reference: CannonResult): Ratio {
  return {
    rps: measured.rps / reference.rps,
    cpu:
      measured.cpuUsPerRequest && reference.cpuUsPerRequest
        ? reference.cpuUsPerRequest / measured.cpuUsPerRequest
        : undefined,
  };
}

/** The mean of two runs of a reference (rates and CPU averaged, latencies the worse of the two). */
export function meanOf(a: CannonResult, b: CannonResult): CannonResult {
  const mean = (x: number | undefined, y: number | undefined, round = Math.round) =>
    x === undefined || y === undefined ? undefined : round((x + y) / 2);
  return {
    rps: mean(a.rps, b.rps)!,
    p50Ms: Math.max(a.p50Ms, b.p50Ms),
    p99Ms: Math.max(a.p99Ms, b.p99Ms),
    maxMs: Math.max(a.maxMs, b.maxMs),
    total: a.total + b.total,
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
    seconds: a.seconds + b.seconds,
    cpuUsPerRequest: mean(a.cpuUsPerRequest, b.cpuUsPerRequest),
    systemUsPerRequest: mean(a.systemUsPerRequest, b.systemUsPerRequest),
    serverCores: mean(a.serverCores, b.serverCores, round2),
    loadgenCores: mean(a.loadgenCores, b.loadgenCores, round2)!,
    bytesPerRequest: mean(a.bytesPerRequest, b.bytesPerRequest)!,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const fixed2 = (value: number | undefined): string =>
  value === undefined ? 'n/a' : value.toFixed(2);

export function cacheHitTables(r: CacheHitResult, load: LoadSettings, cores: number): string {
  const runColumns: Column<CannonResult>[] = [
    ['req/s', (x) => thousands(x.rps)],
    ['p50 ms', (x) => x.p50Ms],
    ['p99 ms', (x) => x.p99Ms],
    ['max ms', (x) => x.maxMs],
    ['CPU µs/req', (x) => x.cpuUsPerRequest ?? 'n/a'],
    ['of it kernel', (x) => x.systemUsPerRequest ?? 'n/a'],
    ['server cores', (x) => x.serverCores ?? 'n/a'],
    ['loadgen cores', (x) => x.loadgenCores],
    ['wire bytes/req', (x) => thousands(x.bytesPerRequest)],
  ];
  const detail = r.bodies.flatMap((b) =>
    b.runs.map(({ server, result }) => [
      `${b.body.tag}: ${server}`,
      ...runColumns.map(([, cell]) => cell(result)),
    ]),
  );
  const summary = r.bodies.map((b) => [
    b.body.tag,
    thousands(b.bodyBytes),
    thousands(b.node.rps),
    thousands(b.nest.rps),
    thousands(b.app.rps),
    `${b.app.p50Ms} / ${b.app.p99Ms}`,
    `${b.node.cpuUsPerRequest ?? 'n/a'} / ${b.nest.cpuUsPerRequest ?? 'n/a'} / ${b.app.cpuUsPerRequest ?? 'n/a'}`,
    fixed2(b.nestVsNode.rps),
    `${fixed2(b.appVsNest.rps)} (CPU ${fixed2(b.appVsNest.cpu)})`,
    fixed2(b.appVsNode.rps),
    b.appVsNest.rps >= VS_BARE_NEST_GOAL ? 'PASS' : 'FAIL',
  ]);
  return [
    table(
      `3. Cache hits against bare NestJS 12 + Fastify and node:http, same bytes, same run: ${load.connections} connections, ${load.seconds} s each after ${load.warmupSeconds} s warm-up (in the order run)`,
      ['body: server', ...runColumns.map(([header]) => header)],
      detail,
    ),
    '',
    table(
      `   Summary (references: mean of their two runs; ratios by req/s, "CPU" = reference's CPU µs/req ÷ app's)`,
      [
        'body',
        'bytes',
        'node:http req/s',
        'bare Nest req/s',
        'app req/s',
        'app p50/p99 ms',
        'CPU µs/req node/Nest/app',
        'Nest/node',
        'app/Nest',
        'app/node',
        `≥ ${VS_BARE_NEST_GOAL}×Nest`,
      ],
      summary,
    ),
    ...r.bodies.map(
      (b) =>
        `   ${b.appVsNest.rps >= VS_BARE_NEST_GOAL ? 'PASS' : 'FAIL'}: ${b.body.label}: cache hit ${thousands(b.app.rps)} req/s = ${fixed2(b.appVsNest.rps)} × bare Nest+Fastify (${thousands(b.nest.rps)}); target ≥ ${VS_BARE_NEST_GOAL}`,
    ),
    ...r.bodies.map((b) => `   ${b.body.tag}: ${b.body.path}; app checked: ${b.instrumentation}.`),
    '   The app: LOG_LEVEL=info (one access-log line per request, stdout to /dev/null), request ids, metrics and the throttle guard on.',
    '   bare Nest: one module, one controller, GET of the same route template, logger off, the recorded headers set and the Buffer returned.',
    `   autocannon runs in the benchmark process and shares the ${cores} cores with the server under test: "loadgen cores" near 1.0 means it set the pace.`,
    `   1-minute load average when these runs began: ${r.loadBefore} on ${cores} CPUs${r.loadBefore > cores ? ' (busy machine: req/s are noisy)' : ''}.`,
    ...r.bodies.flatMap((b) => (b.profiled ? ['', b.profiled.text.replace(/^/gm, '   ')] : [])),
  ].join('\n');
}

export function cacheHitJson(r: CacheHitResult): Record<string, unknown> {
  return {
    loadBefore: r.loadBefore,
    goalVsBareNest: VS_BARE_NEST_GOAL,
    bodies: r.bodies.map((b) => ({
      tag: b.body.tag,
      path: b.body.path,
      bodyBytes: b.bodyBytes,
      runs: b.runs,
      appVsNest: b.appVsNest,
      nestVsNode: b.nestVsNode,
      appVsNode: b.appVsNode,
      pass: b.appVsNest.rps >= VS_BARE_NEST_GOAL,
      profile: b.profiled ? { file: b.profiled.file, rps: b.profiled.result.rps } : undefined,
    })),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
