import { Logger } from '@nestjs/common';
import { testCacheStore } from '../../../test/support/cache-config';
import { testClientBudget } from '../../../test/support/client-budget';
import { GithubConfig } from '../../config/github.config';
import { MetricsService } from '../../metrics/metrics.service';
import { GithubAppRefusedError, GithubInstallationGoneError } from '../app-auth/github-app-errors';
import { GithubBadGatewayError } from '../api/github-errors';
import { InstallationTokens } from '../app-auth/installation-tokens';
import { INSTALLATIONS_RELIST_MS, RateLimitGovernor } from './rate-limit-governor';
import { tokenFingerprint } from './token-fingerprint';

const PAT = 'ghp_personalToken';
const RESET_S = Math.floor(Date.now() / 1000) + 3600;

function github(tokens: string[]): GithubConfig {
  return {
    apiUrl: 'https://api.github.com',
    tokens,
    timeoutMs: 5000,
    rateLimitReserve: 50,
    maxReposPerAccount: 10000,
    maxConcurrentRequests: 8,
    maxRequestsPerMinute: 900,
  };
}

/** A strict stand-in for the App's side: every method the governor may call, nothing else. */
function appTokens(ids: number[] | Error = [1, 2], listsInstallations = true) {
  const tokens = {
    enabled: true,
    listsInstallations,
    relist: jest.fn(),
    installationIds: jest.fn(() =>
      ids instanceof Error ? Promise.reject(ids) : Promise.resolve(ids),
    ),
    tokenFor: jest.fn((id: number) => Promise.resolve(`ghs_token_of_${id}`)),
    forget: jest.fn(() => Promise.resolve()),
  };
  return tokens;
}

function governor(tokens: string[], app: ReturnType<typeof appTokens>): RateLimitGovernor {
  const metrics = new MetricsService();
  return new RateLimitGovernor(
    github(tokens),
    testCacheStore().store,
    metrics,
    testClientBudget(metrics),
    app as unknown as InstallationTokens,
  );
}

describe(`${RateLimitGovernor.name} with a GitHub App`, () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('should act as the first installation, with its token, and never anonymously', async () => {
    // Arrange
    const app = appTokens();
    const subject = governor([], app);
    expect(subject.budgets()).toEqual([]);

    // Act
    const chosen = await subject.choose({ conditional: false });

    // Assert
    expect(chosen).toEqual({ token: 'ghs_token_of_1', fingerprint: 'inst_1' });
    expect(subject.budgets().map((b) => b.fingerprint)).toEqual(['inst_1', 'inst_2']);
  });

  it('should list the installations once', async () => {
    // Arrange
    const app = appTokens();
    const subject = governor([], app);

    // Act
    await Promise.all([
      subject.choose({ conditional: false }),
      subject.choose({ conditional: false }),
    ]);
    await subject.choose({ conditional: false });

    // Assert
    expect(app.installationIds).toHaveBeenCalledTimes(1);
  });

  it('should choose an installation before a personal token that has more budget left', async () => {
    // Arrange
    const app = appTokens([1]);
    const subject = governor([PAT], app);
    await subject.choose({ conditional: false });
    subject.record('inst_1', { limit: 5000, remaining: 100, reset: RESET_S, resource: 'core' });

    // Act
    const chosen = await subject.choose({ conditional: false });

    // Assert
    expect(chosen.fingerprint).toBe('inst_1');
  });

  it("should take an installation's budget from GitHub's headers, up to 12,500", async () => {
    // Arrange
    const subject = governor([], appTokens([1]));
    await subject.choose({ conditional: false });

    // Act
    subject.record('inst_1', {
      limit: 12_500,
      remaining: 12_000,
      reset: RESET_S,
      resource: 'core',
    });

    // Assert
    expect(subject.budgets()).toEqual([
      { fingerprint: 'inst_1', limit: 12_500, remaining: 12_000, reset: RESET_S, estimated: false },
    ]);
  });

  it('should serve with the personal token while the App is refused, and drop its installations', async () => {
    // Arrange
    const app = appTokens([1]);
    app.tokenFor.mockRejectedValue(new GithubAppRefusedError('refused'));
    const subject = governor([PAT], app);

    // Act
    const chosen = await subject.choose({ conditional: false });

    // Assert
    expect(chosen).toEqual({ token: PAT, fingerprint: tokenFingerprint(PAT) });
    expect(subject.budgets().map((b) => b.fingerprint)).toEqual([tokenFingerprint(PAT)]);
  });

  it('should serve with the personal token while the installations cannot be listed', async () => {
    // Arrange
    const subject = governor([PAT], appTokens(new GithubBadGatewayError('GitHub answered 500')));

    // Act / Assert
    await expect(subject.choose({ conditional: false })).resolves.toEqual({
      token: PAT,
      fingerprint: tokenFingerprint(PAT),
    });
  });

  it('should refuse with the App refusal (a 503) when no personal token is left', async () => {
    // Arrange
    const refusal = new GithubAppRefusedError('refused');
    const subject = governor([], appTokens(refusal));

    // Act / Assert
    await expect(subject.choose({ conditional: false })).rejects.toBe(refusal);
    expect(subject.hasBudget()).toBe(false);
  });

  it('should turn to the next installation when one is gone, and refuse when none is left', async () => {
    // Arrange
    const app = appTokens([1, 2]);
    app.tokenFor.mockImplementation((id: number) =>
      Promise.reject(new GithubInstallationGoneError(id)),
    );
    const subject = governor([], app);

    // Act / Assert
    await expect(subject.choose({ conditional: false })).rejects.toBeInstanceOf(
      GithubAppRefusedError,
    );
    expect(app.tokenFor.mock.calls).toEqual([[1], [2]]);
    expect(subject.budgets()).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      { installationId: 2 },
      'GitHub App installation gone or suspended; no longer used',
    );
  });

  it('should forget a rejected installation token and keep the installation', async () => {
    // Arrange
    const app = appTokens([1]);
    const subject = governor([], app);
    await subject.choose({ conditional: false });

    // Act
    subject.drop('inst_1');

    // Assert
    expect(app.forget).toHaveBeenCalledWith(1);
    expect(subject.budgets().map((b) => b.fingerprint)).toEqual(['inst_1']);
  });

  it("should give the installation's token for GitHub's free /rate_limit", async () => {
    // Arrange
    const subject = governor([], appTokens([7]));
    await subject.choose({ conditional: false });

    // Act / Assert
    await expect(subject.credentialForFreeCall('inst_7')).resolves.toEqual({
      token: 'ghs_token_of_7',
      fingerprint: 'inst_7',
    });
  });

  describe('when the installations are listed again', () => {
    it('should add a new installation, first, and remove one no longer listed', async () => {
      // Arrange
      const app = appTokens([1, 2]);
      const subject = governor([PAT], app);
      await subject.choose({ conditional: false });
      subject.record('inst_2', { limit: 5000, remaining: 4000, reset: RESET_S, resource: 'core' });
      app.installationIds.mockResolvedValue([2, 3]);

      // Act
      await subject.refreshInstallations();

      // Assert
      expect(app.relist).toHaveBeenCalledTimes(1);
      expect(subject.budgets()).toEqual([
        { fingerprint: 'inst_3', limit: 5000, remaining: 5000, reset: 0, estimated: true },
        { fingerprint: 'inst_2', limit: 5000, remaining: 4000, reset: RESET_S, estimated: false },
        {
          fingerprint: tokenFingerprint(PAT),
          limit: 5000,
          remaining: 5000,
          reset: 0,
          estimated: true,
        },
      ]);
      await expect(subject.choose({ conditional: false })).resolves.toEqual({
        token: 'ghs_token_of_3',
        fingerprint: 'inst_3',
      });
      expect(warn).toHaveBeenCalledWith(
        { installations: [1] },
        'GitHub App installations no longer listed (deleted or suspended); no longer used',
      );
    });

    it('should serve with the personal token once no installation is listed', async () => {
      // Arrange
      const app = appTokens([1]);
      const subject = governor([PAT], app);
      await subject.choose({ conditional: false });
      app.installationIds.mockResolvedValue([]);

      // Act
      await subject.refreshInstallations();

      // Assert
      expect(subject.budgets().map((b) => b.fingerprint)).toEqual([tokenFingerprint(PAT)]);
      await expect(subject.choose({ conditional: false })).resolves.toEqual({
        token: PAT,
        fingerprint: tokenFingerprint(PAT),
      });
    });

    it('should refuse (a 503), not go anonymous, once no installation is listed and there is no personal token', async () => {
      // Arrange
      const app = appTokens([1]);
      const subject = governor([], app);
      await subject.choose({ conditional: false });
      app.installationIds.mockResolvedValue([]);

      // Act
      await subject.refreshInstallations();

      // Assert
      expect(subject.budgets()).toEqual([]);
      await expect(subject.choose({ conditional: false })).rejects.toBeInstanceOf(
        GithubAppRefusedError,
      );
    });

    it('should keep the installations it had when GitHub cannot list them again', async () => {
      // Arrange
      const app = appTokens([1]);
      const subject = governor([], app);
      await subject.choose({ conditional: false });
      const failure = new GithubBadGatewayError('GitHub answered 500');
      app.installationIds.mockRejectedValue(failure);

      // Act / Assert
      await expect(subject.refreshInstallations()).rejects.toBe(failure);
      expect(subject.budgets().map((b) => b.fingerprint)).toEqual(['inst_1']);
      await expect(subject.choose({ conditional: false })).resolves.toEqual({
        token: 'ghs_token_of_1',
        fingerprint: 'inst_1',
      });
    });

    it('should bring back an installation that was found gone once GitHub lists it again', async () => {
      // Arrange: suspended (its token refused), then unsuspended.
      const app = appTokens([1]);
      app.tokenFor.mockRejectedValueOnce(new GithubInstallationGoneError(1));
      const subject = governor([PAT], app);
      await subject.choose({ conditional: false });
      expect(subject.budgets().map((b) => b.fingerprint)).toEqual([tokenFingerprint(PAT)]);

      // Act
      await subject.refreshInstallations();

      // Assert
      await expect(subject.choose({ conditional: false })).resolves.toEqual({
        token: 'ghs_token_of_1',
        fingerprint: 'inst_1',
      });
    });

    it('should not list again for the installation GITHUB_APP_INSTALLATION_ID names', async () => {
      // Arrange
      const app = appTokens([5], false);
      const subject = governor([], app);
      await subject.choose({ conditional: false });

      // Act
      await subject.refreshInstallations();

      // Assert
      expect(app.relist).not.toHaveBeenCalled();
      expect(app.installationIds).toHaveBeenCalledTimes(1);
    });

    it('should list again every 10 minutes until shut down', async () => {
      // Arrange
      jest.useFakeTimers();
      try {
        const app = appTokens([1]);
        const subject = governor([], app);
        subject.onApplicationBootstrap();
        await jest.advanceTimersByTimeAsync(0);
        app.installationIds.mockResolvedValue([1, 2]);

        // Act
        await jest.advanceTimersByTimeAsync(INSTALLATIONS_RELIST_MS);
        subject.onModuleDestroy();
        await jest.advanceTimersByTimeAsync(3 * INSTALLATIONS_RELIST_MS);

        // Assert
        expect(app.relist).toHaveBeenCalledTimes(1);
        expect(app.installationIds).toHaveBeenCalledTimes(2);
        expect(subject.budgets().map((b) => b.fingerprint)).toEqual(['inst_2', 'inst_1']);
      } finally {
        jest.useRealTimers();
      }
    });
  });
});
