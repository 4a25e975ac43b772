import { cachedLoad, CannonResult, get, LoadSettings } from './load';
import type { StartedServer as Server } from '../shared/child-processes';
import { table, thousands } from '../shared/report-text';

/** The Accept-Encoding of each run, in the order run: identity first and last, to show drift. */
const RUNS = [
  { label: 'no Accept-Encoding (identity)', headers: {} },
  { label: 'Accept-Encoding: br', headers: { 'accept-encoding': 'br' } },
  { label: 'Accept-Encoding: gzip', headers: { 'accept-encoding': 'gzip' } },
  {
    label: 'browser: gzip, deflate, br, zstd',
    headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
  },
  { label: 'no Accept-Encoding (identity), again', headers: {} },
] as const;

export interface CodingRun {
  label: string;
  /** What the app answered with, from a sample request. */
  contentEncoding: string;
  bodyBytes: number;
  result: CannonResult;
}

export interface CompressionResult {
  path: string;
  identityBytes: number;
  runs: CodingRun[];
  /** http_compressions_total after all runs: one per coding means no hit compressed anything. */
  compressions: Record<string, number>;
}

/**
 * 5. The same cached list (100 repositories on one page) under load in each coding, in one app:
 * requests per second, server CPU per hit and bytes on the wire side by side. The app keeps each
 * representation's compressed forms, so a hit in br costs what a hit in identity does.
 */
export async function compressionRuns(
  app: Server,
  path: string,
  settings: LoadSettings,
  progress: (message: string) => void,
): Promise<CompressionResult> {
  const first = await get(app.url + path);
  if (first.status !== 200) {
    throw new Error(`compression: GET ${path} answered ${first.status}`);
  }
  const runs: CodingRun[] = [];
  for (const run of RUNS) {
    progress(
      `compression: ${run.label}, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s`,
    );
    const { sample, result } = await cachedLoad(app, path, settings, {
      headers: { ...run.headers },
    });
    runs.push({
      label: run.label,
      contentEncoding: String(sample.headers['content-encoding'] ?? 'identity'),
      bodyBytes: sample.body.byteLength,
      result,
    });
  }
  const metrics = (await get(`${app.url}/metrics`)).body.toString('utf8');
  const compressions: Record<string, number> = {};
  for (const match of metrics.matchAll(/^http_compressions_total\{encoding="(\w+)"\} (\d+)$/gm)) {
    compressions[match[1]] = Number(match[2]);
  }
  return { path, identityBytes: first.body.byteLength, runs, compressions };
}

export function compressionOk(r: CompressionResult): boolean {
  const compressedOnce = Object.values(r.compressions).every((n) => n === 1);
  const smaller = r.runs.every(
    (run) => run.contentEncoding === 'identity' || run.bodyBytes < r.identityBytes / 3,
  );
  return compressedOnce && smaller && Object.keys(r.compressions).length === 2;
}

export function compressionTable(r: CompressionResult, settings: LoadSettings): string {
  const identity = r.runs[0].result;
  return [
    table(
      `5. Compression: cached GET ${r.path} (${thousands(r.identityBytes)}-byte JSON), ${settings.connections} connections, ${settings.seconds} s each after ${settings.warmupSeconds} s warm-up, one app`,
      [
        'Accept-Encoding',
        'coding',
        'body bytes',
        'wire bytes/req',
        'req/s',
        'p99 ms',
        'CPU µs/req',
        'CPU vs identity',
      ],
      r.runs.map((run) => [
        run.label,
        run.contentEncoding,
        thousands(run.bodyBytes),
        thousands(run.result.bytesPerRequest),
        thousands(run.result.rps),
        run.result.p99Ms,
        run.result.cpuUsPerRequest ?? 'n/a',
        run.result.cpuUsPerRequest && identity.cpuUsPerRequest
          ? `${Math.round((run.result.cpuUsPerRequest / identity.cpuUsPerRequest) * 100)}%`
          : 'n/a',
      ]),
    ),
    `   Compressions made (http_compressions_total): ${
      Object.entries(r.compressions)
        .map(([coding, n]) => `${coding} ${n}`)
        .join(', ') || 'none'
    } — one per coding means every hit reused the kept bytes.`,
    '   "wire bytes/req" counts status line, headers and body as autocannon received them.',
  ].join('\n');
}

export function compressionJson(r: CompressionResult): Record<string, unknown> {
  return {
    path: r.path,
    identityBytes: r.identityBytes,
    compressions: r.compressions,
    runs: r.runs.map((run) => ({
      label: run.label,
      contentEncoding: run.contentEncoding,
      bodyBytes: run.bodyBytes,
      wireBytesPerRequest: run.result.bytesPerRequest,
      rps: run.result.rps,
      p99Ms: run.result.p99Ms,
      cpuUsPerRequest: run.result.cpuUsPerRequest,
    })),
  };
}
