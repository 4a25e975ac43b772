import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Clock } from '../../src/common/clock';
import { SnapshotWriter } from '../../src/history/storage/snapshot-writer';
import { HistoryDatabase } from '../../src/history/storage/history-database';

/** Waits until the app's history database is migrated (it opens in the background). */
export async function historyReady(app: NestFastifyApplication): Promise<void> {
  await app.get(HistoryDatabase).whenReady();
}

/** Waits until every snapshot the app has queued is written (or failed). */
export async function snapshotsWritten(app: NestFastifyApplication): Promise<void> {
  // The recorder reads the other half from the cache before it enqueues.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await app.get(SnapshotWriter).settled();
}

/** Makes the app's clock say `day` (UTC `YYYY-MM-DD`) from now on. */
export function setToday(app: NestFastifyApplication, day: string): void {
  jest.spyOn(app.get(Clock), 'today').mockReturnValue(day);
}

/**
 * History on, and every `Cache-Control: no-cache` reaching GitHub: these files make a new day's
 * snapshot with a no-cache visit, which CACHE_MIN_REVALIDATE_S (default 10 s) would otherwise
 * answer from the cache for a visit a few milliseconds after the last.
 */
export const HISTORY_ON = { HISTORY_ENABLED: 'true', CACHE_MIN_REVALIDATE_S: '0' } as const;
