/**
 * Where a process spent its CPU, from a V8 `.cpuprofile` (`node --cpu-prof`, or the benchmark with
 * BENCH_CPU_PROF=1): self time by function and by package or file, largest first.
 *
 *   tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--from-ms N] [--to-ms N] [--top 25]
 *                                        [--cpu-us-per-request N]
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
  /** The same without (idle): the CPU the process used. */
  busyMs: number;
  functions: Share[];
  groups: Share[];
}

/** Special V8 frames: their name is their group. */
const META = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * The package a script belongs to (`fastify`, `@nestjs/core`), `app: <file>` for the service's own
 * build, `node: <module>` for Node's own JavaScript, `native` for V8 builtins and C++ functions.
 */
export function groupOf(frame: CallFrame): string {
  if (META.has(frame.functionName)) {
    return frame.functionName;
  }
  const url = frame.url;
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
  return {
    totalMs: Math.round(total / 1000),
    busyMs: Math.round((total - idle) / 1000),
    functions: shares(byFunction),
    groups: shares(byGroup),
  };
}

/**
 * The top `top` functions and groups as text tables. With `cpuUsPerRequest` (the process's CPU
 * per answered request over the same window, from /proc), each entry's share of the busy samples
 * is also shown as microseconds of that CPU per request. The sampler runs on the wall clock, so on
 * a busy machine time the process spent runnable but preempted is charged to the frame on top
 * (mostly a syscall such as writev): the shares lean that way, the CPU total does not.
 */
export function summaryText(
  summary: ProfileSummary,
  options: { top?: number; cpuUsPerRequest?: number; title?: string } = {},
): string {
  const top = options.top ?? 25;
  const { cpuUsPerRequest } = options;
  const perRequest = (share: Share): string =>
    share.name === '(idle)' || !cpuUsPerRequest || summary.busyMs === 0
      ? '-'
      : ((share.selfMs / summary.busyMs) * cpuUsPerRequest).toFixed(1);
  const header = ['self ms', '% of samples', ...(cpuUsPerRequest ? ['CPU µs/req'] : [])];
  const rows = (shares: Share[]): (string | number)[][] =>
    shares
      .slice(0, top)
      .map((share) => [
        share.name,
        share.selfMs.toFixed(1),
        share.percent.toFixed(1),
        ...(cpuUsPerRequest ? [perRequest(share)] : []),
      ]);
  const busy = summary.totalMs === 0 ? 0 : Math.round((summary.busyMs / summary.totalMs) * 100);
  return [
    `${options.title ?? 'CPU profile'}: ${summary.totalMs} ms sampled, ${summary.busyMs} ms not idle (${busy} %)${
      cpuUsPerRequest
        ? `; ${cpuUsPerRequest} µs of CPU per request (/proc), shared out by busy samples`
        : ''
    }`,
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
      'usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--from-ms N] [--to-ms N] [--top 25] [--cpu-us-per-request N]',
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
