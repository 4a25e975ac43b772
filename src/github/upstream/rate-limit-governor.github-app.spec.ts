import { Logger } from '@nestjs/common';
import { testCacheStore } from '../../../test/support/cache-config';
import { testClientBudget } from '../../../test/support/client-budget';
import { GithubConfig } from '../../config/github.config';
import { MetricsService } from '../../metrics/metrics.service';
import { GithubAppRefusedError, GithubInstallationGoneError } from './github-app-errors';
import { GithubBadGatewayError } from './github-errors';
import { InstallationTokens } from './installation-tokens';
import { RateLimitGovernor } from './rate-limit-governor';
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
function appTokens(ids: number[] | Error = [1, 2]) {
  const tokens = {
    enabled: true,
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
});
