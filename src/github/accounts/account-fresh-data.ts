import { Injectable, Logger } from '@nestjs/common';
import type { Profile } from './profile.model';
import type { RepoOwner } from './repo-owner';
import type { StoredRepoList } from './stored-repo-list';

/** Something the GitHub feature just learned or served about an account. */
export type AccountEvent =
  /** A profile freshly loaded from GitHub (a miss, a revalidation or a background refresh). */
  | { kind: 'profile'; profile: Profile }
  /** An account's repository list freshly loaded from GitHub. */
  | { kind: 'repos'; owner: RepoOwner; list: StoredRepoList }
  /** A client asked for the account (profile, list, summary, history): it is worth watching. */
  | { kind: 'viewed'; owner: RepoOwner };

export type AccountListener = (event: AccountEvent) => void;

/**
 * The seam between GitHub's services and whoever records what they learn (history): the services
 * publish, subscribers listen, and neither imports the other. Publishing is synchronous and never
 * fails or waits: a listener's error is logged and swallowed, so no request pays for a subscriber.
 */
@Injectable()
export class AccountFreshData {
  private readonly logger = new Logger(AccountFreshData.name);
  private readonly listeners = new Set<AccountListener>();

  subscribe(listener: AccountListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: AccountEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'An account listener failed',
        );
      }
    }
  }
}
