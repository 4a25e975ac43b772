import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Clock } from '../../../src/history/clock';
import { SnapshotWriter } from '../../../src/history/snapshots/snapshot-writer';
import { HistoryDatabase } from '../../../src/history/storage/history-database';

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
