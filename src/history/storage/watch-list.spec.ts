import { Logger } from '@nestjs/common';
import type { HistoryConfig } from '../../config/history.config';
import { HistoryUnavailableError } from './history-unavailable.error';
import type { HistoryDatabase } from './history-database';
import { MAX_WAITING_VIEWS, WatchList } from './watch-list';

const config = { watchDays: 30, maxWatched: 2000 } as HistoryConfig;

/** A store that refuses everything, as one still being created does. */
const starting = {
  state: 'starting',
  whenReady: () => new Promise<void>(() => undefined),
  run: () => Promise.reject(new HistoryUnavailableError('The history database is not available')),
} as unknown as HistoryDatabase;

describe(WatchList.name, () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it(`should keep at most ${MAX_WAITING_VIEWS} views while the store cannot take them`, async () => {
    const watchList = new WatchList(starting, config);

    for (let i = 0; i < MAX_WAITING_VIEWS + 2; i++) {
      await expect(
        watchList.markViewed({ login: `viewer-${i}`, kind: 'user' }),
      ).rejects.toBeInstanceOf(HistoryUnavailableError);
    }

    expect(watchList.waitingCount).toBe(MAX_WAITING_VIEWS);
    expect(warn.mock.calls.map(([details]) => (details as { login: string }).login)).toEqual([
      'viewer-0',
      'viewer-1',
    ]);
  });

  it('should keep one view per account however often it is viewed', async () => {
    const watchList = new WatchList(starting, config);

    await watchList.markViewed({ login: 'Same', kind: 'user' }).catch(() => undefined);
    await watchList.markViewed({ login: 'same', kind: 'user' }).catch(() => undefined);

    expect(watchList.waitingCount).toBe(1);
  });
});
