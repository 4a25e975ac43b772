import { afterEach, beforeEach, vi } from 'vitest';
import { FakeApi } from './fake-api';
import { NOW } from './fixtures';

/** Puts the page at `/` plus `search`, as a reader opening a link. */
export function openAt(search: string): void {
  window.history.replaceState(null, '', `/${search}`);
}

/**
 * For a describe block: before each test the clock reads NOW (Date only; timers run) and a fresh
 * FakeApi answers `fetch`. Returns the current test's FakeApi.
 */
export function useFakeApi(): () => FakeApi {
  let api: FakeApi | undefined;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    api = new FakeApi().install();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  return () => {
    if (!api) {
      throw new Error('useFakeApi: no test is running');
    }
    return api;
  };
}
