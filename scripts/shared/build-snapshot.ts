import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = join(__dirname, '..', '..');
const QUIET_MS = 2_000;
const WAIT_MS = 120_000;

/**
 * Copies the finished build (dist/, and web/dist/ when `web`) and package.json into `<dir>/app`,
 * node_modules linked, and returns that folder: the apps run from it, so a `nest build` elsewhere
 * in the work tree (it empties dist/ first) cannot pull files from under them. A build still being
 * written is waited for, and a copy that a build overlapped is taken again.
 */
export async function snapshotBuild(dir: string, options: { web?: boolean } = {}): Promise<string> {
  const root = join(dir, 'app');
  const trees = options.web ? ['dist', join('web', 'dist')] : ['dist'];
  for (let attempt = 1; ; attempt++) {
    for (const tree of trees) {
      await awaitQuietBuild(join(ROOT, tree), tree === 'dist' ? 'main.js' : 'index.html');
    }
    const copyStarted = Date.now();
    for (const tree of trees) {
      rmSync(join(root, tree), { recursive: true, force: true });
      mkdirSync(join(root, tree, '..'), { recursive: true });
      cpSync(join(ROOT, tree), join(root, tree), { recursive: true });
    }
    if (trees.every((tree) => newestChange(join(ROOT, tree)) < copyStarted)) {
      break;
    }
    if (attempt >= 5) {
      throw new Error('the build kept changing while it was being copied (a concurrent build?)');
    }
  }
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  if (!existsSync(join(root, 'node_modules'))) {
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  }
  return root;
}

/** Waits until `tree` holds `marker` and nothing in it was written for 2 s. */
async function awaitQuietBuild(tree: string, marker: string): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    if (existsSync(join(tree, marker)) && Date.now() - newestChange(tree) > QUIET_MS) {
      return;
    }
    if (performance.now() > deadline) {
      throw new Error(
        `${tree} holds no finished build (${marker} missing or still being written after ${WAIT_MS / 1000} s): build first`,
      );
    }
    await sleep(500);
  }
}

function newestChange(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}
