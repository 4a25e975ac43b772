/**
 * Where a process spent its CPU, from a V8 `.cpuprofile` (`node --cpu-prof`, or the benchmark with
 * BENCH_CPU_PROF=1): self time by function and by package or file, largest first.
 *
 *   tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--from-ms N] [--to-ms N] [--top 25]
 *                                        [--cpu-us-per-request N --system-us-per-request N]
 *
 * --from-ms / --to-ms keep only the samples taken that many milliseconds after the profile began
 * (the process's start): the benchmark passes the measured load's window, so start-up and warm-up
 * do not count. Self time is a function's own samples, not its callees'; "(idle)" is time the
 * process waited (for the kernel or for requests), "(program)" is V8 and native work no JavaScript
 * frame was on top of, "(garbage collector)" is GC.
 */
import { readFileSync } from 'node:fs';
import { table } from '../shared/report-text';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

/** The parts of a V8 CPU profile read here (times in microseconds). */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  selfMs: number;
  /** Of the window's sampled time, idle included. */
  percent: number;
}

export interface ProfileSummary {
  /** Sampled time in the window, idle included. */
  totalMs: number;
  /** The same without (idle): the CPU the process used, or waited for the CPU in. */
  busyMs: number;
  /** Of busyMs, in the socket writes. */
  socketWriteMs: number;
  functions: Share[];
  groups: Share[];
  /** The groups gathered into the layers of a request (layerOf). */
  layers: Share[];
}

/** Special V8 frames: their name is their group. */
const META = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Node's C++ socket writes: mostly the kernel's time (system), the rest of native is V8's and Node's. */
const SOCKET_WRITES = new Set([
  'writev',
  'writeBuffer',
  'writeString',
  'writeUtf8String',
  'writeLatin1String',
  'writeAsciiString',
  'writeUcs2String',
]);
const SOCKET_WRITE_GROUP = 'socket writes (C++ into the kernel)';
const SOCKET_WRITE_LAYER = 'kernel: socket writes';

function isSocketWrite(frame: CallFrame): boolean {
  return !frame.url && SOCKET_WRITES.has(frame.functionName);
}

/**
 * The package a script belongs to (`fastify`, `@nestjs/core`), `app: <file>` for the service's own
 * build, `node: <module>` for Node's own JavaScript, `native` for V8 builtins and C++ functions.
 */
export function groupOf(frame: CallFrame): string {
  if (META.has(frame.functionName)) {
    return frame.functionName;
  }
  const url = frame.url;
  if (isSocketWrite(frame)) {
    return SOCKET_WRITE_GROUP;
  }
  if (!url) {
    return 'native (V8 builtins, C++)';
  }
  if (url.startsWith('node:')) {
    return `node: ${url.slice('node:'.length).replace(/^internal\//, '')}`;
  }
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const [first, second] = url.slice(inModules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  const inDist = url.lastIndexOf('/dist/');
  if (inDist >= 0) {
    return `app: ${url.slice(inDist + 1)}`;
  }
  return url.replace(/^file:\/\//, '');
}

/** Packages and app folders by the part of a request they serve; the first match wins. */
const LAYERS: [RegExp, string][] = [
  [/^\(idle\)$/, '(idle)'],
  [/^\((garbage collector|program)\)$/, 'V8: GC and (program)'],
  [/^socket writes/, SOCKET_WRITE_LAYER],
  [/^native/, 'native: other C++ / V8 builtins'],
  [/^node: /, 'Node core JS (http, streams, events, timers)'],
  [/^(@nestjs\/throttler$|app: dist\/throttling\/)/, 'throttling'],
  [
    /^(pino|@pinojs\/|sonic-boom$|nestjs-pino$|app: dist\/logging\/)/,
    'logging (pino, access line)',
  ],
  [/^(prom-client$|app: dist\/metrics\/)/, 'metrics'],
  [/^(helmet$|app: dist\/common\/security-headers)/, 'security headers'],
  [
    /^(@nestjs\/|reflect-metadata$|@fastify\/middie$|rxjs$|class-transformer$|class-validator$)/,
    'NestJS (core, pipes, middie, metadata)',
  ],
  [/^(fastify$|find-my-way$|@fastify\/|fast-|avvio$|light-my-request$|safe-regex2$)/, 'Fastify'],
  [/^(lru-cache$|app: dist\/cache\/)/, 'app: cache'],
  [/^app: /, 'app: other'],
];

export function layerOf(group: string): string {
  return LAYERS.find(([pattern]) => pattern.test(group))?.[1] ?? 'other packages';
}

function functionOf(frame: CallFrame): string {
  if (META.has(frame.functionName)) {
    return frame.functionName;
  }
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) {
    return `${name} (native)`;
  }
  const file = frame.url.slice(frame.url.lastIndexOf('/') + 1);
  return `${name}  ${file}:${frame.lineNumber + 1} [${groupOf(frame)}]`;
}

/**
 * Self time per function and per group over the samples taken between `fromMs` and `toMs` after
 * the profile began. A sample lasts until the next one (the last one, the mean interval).
 */
export function summariseProfile(
  profile: CpuProfile,
  window: { fromMs?: number; toMs?: number } = {},
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const from = (window.fromMs ?? 0) * 1000;
  const to = (window.toMs ?? Infinity) * 1000;
  const { samples, timeDeltas } = profile;
  const meanInterval =
    samples.length > 1 ? (profile.endTime - profile.startTime) / samples.length : 1000;
  const byFunction = new Map<string, number>();
  const byGroup = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let socketWrites = 0;
  let at = 0;
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i] ?? 0;
    if (at < from || at > to) {
      continue;
    }
    const lasted = i + 1 < samples.length ? (timeDeltas[i + 1] ?? 0) : meanInterval;
    const frame = byId.get(samples[i]);
    if (!frame) {
      continue;
    }
    total += lasted;
    if (frame.functionName === '(idle)') {
      idle += lasted;
    }
    if (isSocketWrite(frame)) {
      socketWrites += lasted;
    }
    const fn = functionOf(frame);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + lasted);
    const group = groupOf(frame);
    byGroup.set(group, (byGroup.get(group) ?? 0) + lasted);
  }
  const shares = (map: Map<string, number>): Share[] =>
    [...map]
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 100) / 10,
        percent: total === 0 ? 0 : Math.round((us / total) * 1000) / 10,
      }))
      .sort((a, b) => b.selfMs - a.selfMs);
  const byLayer = new Map<string, number>();
  for (const [group, us] of byGroup) {
    const layer = layerOf(group);
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + us);
  }
  return {
    totalMs: Math.round(total / 1000),
    busyMs: Math.round((total - idle) / 1000),
    socketWriteMs: Math.round(socketWrites / 1000),
    functions: shares(byFunction),
    groups: shares(byGroup),
    layers: shares(byLayer),
  };
}

/**
 * The top `top` functions and groups as text tables. With `cpuUsPerRequest` and
 * `systemUsPerRequest` (the process's CPU per answered request over the same window, all and the
 * kernel's, from /proc), each entry is also shown as microseconds of CPU per request: the socket
 * writes share the system time, everything else the user time, by their samples. The sampler runs
 * on the wall clock, so on a busy machine the time a process waits for a core after a write has
 * woken the client is charged to the write: its share of samples overstates it, which /proc's
 * split corrects.
 */
export function summaryText(
  summary: ProfileSummary,
  options: {
    top?: number;
    cpuUsPerRequest?: number;
    systemUsPerRequest?: number;
    title?: string;
  } = {},
): string {
  const top = options.top ?? 25;
  const { cpuUsPerRequest: cpu, systemUsPerRequest: system } = options;
  const split = cpu !== undefined && system !== undefined;
  const writes = summary.socketWriteMs;
  const others = summary.busyMs - writes;
  const socketWriteNames = new Set([
    SOCKET_WRITE_GROUP,
    SOCKET_WRITE_LAYER,
    ...[...SOCKET_WRITES].map((name) => `${name} (native)`),
  ]);
  const perRequest = (share: Share): string => {
    if (share.name === '(idle)' || !split) {
      return '-';
    }
    const [part, of] = socketWriteNames.has(share.name) ? [system, writes] : [cpu - system, others];
    return of === 0 ? '-' : ((share.selfMs / of) * part).toFixed(1);
  };
  const header = ['self ms', '% of samples', ...(split ? ['CPU µs/req'] : [])];
  const rows = (shares: Share[]): (string | number)[][] =>
    shares
      .slice(0, top)
      .map((share) => [
        share.name,
        share.selfMs.toFixed(1),
        share.percent.toFixed(1),
        ...(split ? [perRequest(share)] : []),
      ]);
  const busy = summary.totalMs === 0 ? 0 : Math.round((summary.busyMs / summary.totalMs) * 100);
  return [
    `${options.title ?? 'CPU profile'}: ${summary.totalMs} ms sampled, ${summary.busyMs} ms not idle (${busy} %)${
      split
        ? `; ${cpu} µs of CPU per request (/proc), ${system} of it the kernel's: the socket writes' samples share the kernel's µs, the others the rest`
        : ''
    }`,
    table('Self time by layer (all)', ['layer', ...header], rows(summary.layers)),
    table(`Self time by package or file (top ${top})`, ['group', ...header], rows(summary.groups)),
    table(`Self time by function (top ${top})`, ['function', ...header], rows(summary.functions)),
  ].join('\n');
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

function main(argv: string[]): void {
  const file = argv.find((arg, i) => !arg.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  const option = (name: string): number | undefined => {
    const at = argv.indexOf(`--${name}`);
    const value = at >= 0 ? Number(argv[at + 1]) : undefined;
    if (value !== undefined && !Number.isFinite(value)) {
      throw new Error(`--${name} needs a number`);
    }
    return value;
  };
  if (!file) {
    throw new Error(
      'usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--from-ms N] [--to-ms N] [--top 25] [--cpu-us-per-request N --system-us-per-request N]',
    );
  }
  const summary = summariseProfile(readProfile(file), {
    fromMs: option('from-ms'),
    toMs: option('to-ms'),
  });
  process.stdout.write(
    `${summaryText(summary, {
      top: option('top'),
      cpuUsPerRequest: option('cpu-us-per-request'),
      systemUsPerRequest: option('system-us-per-request'),
      title: file,
    })}\n`,
  );
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}
