/**
 * Heap bytes per repository as the app stores it, measured in a process of its own:
 *
 *   node --expose-gc stored-repo-heap.cjs <app dist dir> <pages.jsonl>
 *
 * <pages.jsonl> holds one GitHub list page per line, as GitHub's JSON text (the fake's full ~5 kB
 * objects). For each form the pages are parsed one at a time, as the app reads them, and only the
 * form under test is kept: `stored` is what the cache holds (`toRepoPage` of dist/github/
 * repositories/repo.mapper.js), `plain` the mapped `Repo` objects (`toRepo`), `raw` GitHub's parsed objects.
 * Heap used is compared after full collections before and after; the page texts are alive in both
 * snapshots, so they cancel out. Prints one JSON line: { repos, stored, plain, raw } in bytes per
 * repository (null for a form the build does not have).
 */
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const [distDir, pagesFile] = process.argv.slice(2);
if (!distDir || !pagesFile || typeof global.gc !== 'function') {
  process.stderr.write('usage: node --expose-gc stored-repo-heap.cjs <dist dir> <pages.jsonl>\n');
  process.exit(2);
}
const mapper = require(join(distDir, 'github', 'repositories', 'repo.mapper.js'));
const pages = readFileSync(pagesFile, 'utf8').split('\n').filter(Boolean);

function settledHeap() {
  for (let i = 0; i < 4; i++) {
    global.gc();
  }
  return process.memoryUsage().heapUsed;
}

/** Bytes per repository that `keep(page)` adds to the heap while its result is held. */
function measure(keep) {
  // A first round warms up code and shared pools (interned owners, languages, topics) so that
  // the measured round counts only what each further repository costs.
  let held = pages.map((text) => keep(JSON.parse(text)));
  held = null;
  const before = settledHeap();
  held = [];
  let repos = 0;
  for (const text of pages) {
    const page = keep(JSON.parse(text));
    repos += page.length;
    held.push(page);
  }
  const after = settledHeap();
  // Read after the measurement so the list stays reachable until then.
  if (held.length !== pages.length) {
    throw new Error('lost a page');
  }
  return { repos, bytes: Math.round((after - before) / repos) };
}

const stored =
  typeof mapper.toRepoPage === 'function' ? measure((body) => mapper.toRepoPage(body)) : null;
const plain =
  typeof mapper.toRepo === 'function' ? measure((body) => body.map((r) => mapper.toRepo(r))) : null;
const raw = measure((body) => body);
process.stdout.write(
  `${JSON.stringify({
    repos: raw.repos,
    stored: stored && stored.bytes,
    plain: plain && plain.bytes,
    raw: raw.bytes,
  })}\n`,
);
