import { frozenClock, testCacheStore } from '../../../test/support/cache-config';
import {
  InstallationTokenCache,
  RENEW_BEFORE_EXPIRY_MS,
  renewalTime,
} from './installation-token-cache';

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const HOUR = 3_600_000;

/** auth-app's cache value: token|createdAt|expiresAt|repositorySelection|permissions|singleFile. */
function value(token: string, createdAtMs: number, expiresAtMs: number): string {
  return [
    token,
    new Date(createdAtMs).toISOString(),
    new Date(expiresAtMs).toISOString(),
    'all',
    'metadata',
    '',
  ].join('|');
}

describe('renewalTime', () => {
  it('should renew an hour-long token 5 minutes before it expires', () => {
    expect(renewalTime(NOW, NOW + HOUR)).toBe(NOW + HOUR - RENEW_BEFORE_EXPIRY_MS);
    expect(RENEW_BEFORE_EXPIRY_MS).toBe(300_000);
  });

  it('should renew a short-lived token after three quarters of its life', () => {
    expect(renewalTime(NOW, NOW + 8000)).toBe(NOW + 6000);
  });
});

describe(InstallationTokenCache.name, () => {
  beforeEach(() => {
    frozenClock(NOW);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('should give back what auth-app stored, kept until the renewal time', async () => {
    // Arrange
    const { store } = testCacheStore();
    const set = jest.spyOn(store, 'set');
    const cache = new InstallationTokenCache(store, 42);
    const stored = value('ghs_42_abc', NOW, NOW + HOUR);

    // Act
    await cache.set('7', stored);

    // Assert
    expect(set).toHaveBeenCalledWith(
      'github-app:42:installation-token:7',
      stored,
      HOUR - RENEW_BEFORE_EXPIRY_MS,
    );
    await expect(cache.get('7')).resolves.toBe(stored);
    await expect(cache.get('8')).resolves.toBe('');
  });

  it('should keep each App apart', async () => {
    // Arrange
    const { store } = testCacheStore();
    await new InstallationTokenCache(store, 42).set('7', value('ghs_42_abc', NOW, NOW + HOUR));

    // Act / Assert
    await expect(new InstallationTokenCache(store, 43).get('7')).resolves.toBe('');
  });

  it('should not keep a token already due for renewal, nor a value it cannot date', async () => {
    // Arrange
    const { store } = testCacheStore();
    const cache = new InstallationTokenCache(store, 42);
    const set = jest.spyOn(store, 'set');

    // Act
    await cache.set('7', value('ghs_42_old', NOW - HOUR, NOW + 60_000));
    await cache.set('8', 'ghs_42_odd|not a date|nor this');

    // Assert
    expect(set).not.toHaveBeenCalled();
  });

  it('should forget a token GitHub refused', async () => {
    // Arrange
    const cache = new InstallationTokenCache(testCacheStore().store, 42);
    await cache.set('7', value('ghs_42_abc', NOW, NOW + HOUR));

    // Act
    await cache.forget(7);

    // Assert
    await expect(cache.get('7')).resolves.toBe('');
  });
});
