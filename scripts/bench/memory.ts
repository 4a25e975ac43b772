/**
 * Phase 4 of the benchmark, memory (issue 10): heap bytes per stored repository, measured in a
 * process of its own (stored-repo-heap.cjs), and the idle RSS of the app started as production
 * starts it, a few seconds after GET /health first answers.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { FakeGithub } from '../../test/fake-github';
import { procStatusMiB } from '../shared/child-processes';
import { get } from './load';
import type { StartedServer as Server } from '../shared/child-processes';

const STORED_REPO_HEAP = join(__dirname, 'stored-repo-heap.cjs');
/** 100 GitHub pages: enough that per-repository figures do not move with one more page. */
export const MEMORY_REPOS = 10_000;
/** After /health: start-up garbage collected, timers settled, nothing asked yet. */
const IDLE_SETTLE_MS = 3_000;
const IDLE_SAMPLES = 10;
const IDLE_SAMPLE_MS = 200;

export interface StoredRepoHeap {
  repos: number;
  /** Heap bytes per repository in the form the cache keeps (`toRepoPage`). */
  stored: number | null;
  /** The same as plain mapped `Repo` objects, for comparison. */
  plain: number | null;
  /** GitHub's parsed JSON objects, as a cache of raw pages would hold them. */
  raw: number;
  /** Bytes of GitHub JSON per repository the pages were read from. */
  jsonBytesPerRepo: number;
}

/**
 * Fetches MEMORY_REPOS repositories from the fake as GitHub pages of 100 (the bytes a client
 * parses) and measures, in a fresh `node --expose-gc`, what each form costs on the heap.
 */
export async function storedRepoHeap(
  fake: FakeGithub,
  appRoot: string,
  workDir: string,
): Promise<StoredRepoHeap> {
  const login = 'bench-memory';
  fake.addUser(login, MEMORY_REPOS);
  const pages: string[] = [];
  for (let page = 1; (page - 1) * 100 < MEMORY_REPOS; page++) {
    const reply = await get(`${fake.url}/users/${login}/repos?per_page=100&page=${page}`, {
      // A token of its own: the anonymous budget (60) is smaller than the pages read.
      headers: { 'user-agent': 'bench', authorization: 'Bearer ghp_benchmemory' },
    });
    if (reply.status !== 200) {
      throw new Error(`the fake answered page ${page} of ${login} with ${reply.status}`);
    }
    pages.push(reply.body.toString('utf8'));
  }
  const file = join(workDir, 'memory-pages.jsonl');
  writeFileSync(file, `${pages.join('\n')}\n`);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', STORED_REPO_HEAP, join(appRoot, 'dist'), file],
    { maxBuffer: 1 << 20 },
  );
  const measured = JSON.parse(stdout.trim()) as Omit<StoredRepoHeap, 'jsonBytesPerRepo'>;
  const jsonBytes = pages.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  return { ...measured, jsonBytesPerRepo: Math.round(jsonBytes / measured.repos) };
}

export interface IdleMemory {
  label: string;
  /** MiB (VmRSS / 1024): the largest of the samples taken 3–5 s after /health. */
  rssMiB: number;
  /** Anonymous (heap, malloc) and file-backed (the node binary's code) parts of that RSS. */
  anonMiB: number;
  fileMiB: number;
  heapUsedMiB: number | undefined;
  heapTotalMiB: number | undefined;
}

/** Samples an app that has answered /health and nothing else yet. */
export async function idleMemory(label: string, app: Server): Promise<IdleMemory> {
  const pid = app.child.pid;
  if (pid === undefined) {
    throw new Error(`${app.name} has no pid`);
  }
  await sleep(IDLE_SETTLE_MS);
  let peak = { rss: 0, anon: 0, file: 0 };
  for (let i = 0; i < IDLE_SAMPLES; i++) {
    const sample = statusOf(pid);
    if (sample.rss > peak.rss) {
      peak = sample;
    }
    await sleep(IDLE_SAMPLE_MS);
  }
  const metrics = (await get(`${app.url}/metrics`)).body.toString('utf8');
  const value = (name: string): number | undefined => {
    const match = new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(metrics);
    return match ? Math.round((Number(match[1]) / 1024 / 1024) * 10) / 10 : undefined;
  };
  return {
    label,
    rssMiB: peak.rss,
    anonMiB: peak.anon,
    fileMiB: peak.file,
    heapUsedMiB: value('nodejs_heap_size_used_bytes'),
    heapTotalMiB: value('nodejs_heap_size_total_bytes'),
  };
}

function statusOf(pid: number): { rss: number; anon: number; file: number } {
  const field = (name: string): number => procStatusMiB(pid, name) ?? NaN;
  return { rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile') };
}
