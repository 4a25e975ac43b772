import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`): playwright-core never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless and quiet: no GPU, no QUIC, and none of the background traffic (component updates,
 * sync, first-run pings) a fresh profile would otherwise start; the machine has no network.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium on a fresh profile directory, removed again on close. `extraArgs` come after the
 * standard ones (one test maps a host name to 127.0.0.1 with --host-resolver-rules).
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'dashboard-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, ...extraArgs],
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      timezoneId: 'UTC',
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    return {
      context,
      close: async () => {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
