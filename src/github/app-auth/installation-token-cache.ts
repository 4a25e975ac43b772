import { CacheStore } from '../../cache/cache-store';

/** Renew an hour-long installation token 5 minutes before GitHub's `expires_at`. */
export const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * When a token should be replaced: 5 minutes before it expires, or after three quarters of its
 * life if it was issued for less than 20 minutes, so a request in flight never carries an expired
 * token and a short-lived token is still used for most of its life.
 */
export function renewalTime(createdAtMs: number, expiresAtMs: number): number {
  const lifetimeMs = Math.max(0, expiresAtMs - createdAtMs);
  return expiresAtMs - Math.min(RENEW_BEFORE_EXPIRY_MS, lifetimeMs / 4);
}

/**
 * @octokit/auth-app's token cache (its `cache` option), kept in the service's CacheStore: Redis,
 * so every replica uses the token one of them bought, and the store's memory. Nowhere else: no
 * file, no log line (the store logs keys, never values). Each entry lives until its token's
 * {@link renewalTime}, so what auth-app reads back is always good to use; a miss makes it buy a
 * new one. auth-app's value is `token|createdAt|expiresAt|...` (ISO dates), its key the
 * installation id.
 */
export class InstallationTokenCache {
  constructor(
    private readonly store: CacheStore,
    private readonly appId: number,
  ) {}

  async get(key: string): Promise<string> {
    const value = await this.store.get<unknown>(this.keyOf(key));
    // auth-app reads any falsy value as a miss.
    return typeof value === 'string' ? value : '';
  }

  async set(key: string, value: string): Promise<void> {
    const [, createdAt = '', expiresAt = ''] = value.split('|');
    const ttlMs = renewalTime(Date.parse(createdAt), Date.parse(expiresAt)) - Date.now();
    // NaN (dates auth-app did not write) or a token already due for renewal: not kept.
    if (ttlMs > 0) {
      await this.store.set(this.keyOf(key), value, ttlMs);
    }
  }

  /** Drops a token GitHub refused (revoked before its expiry), here and for every replica. */
  async forget(installationId: number): Promise<void> {
    // The store has no delete: an empty value that expires at once is a miss everywhere.
    await this.store.set(this.keyOf(String(installationId)), '', 1);
  }

  private keyOf(authAppKey: string): string {
    return `github-app:${this.appId}:installation-token:${authAppKey}`;
  }
}
