import type { TokenBudget } from '../../github/upstream/rate-limit-governor';
import { refreshAllowance, refreshCost } from './refresh-allowance';

const NOW_MS = Date.UTC(2026, 5, 15, 12);
const IN_AN_HOUR = NOW_MS / 1000 + 3600;

function budget(remaining: number, limit = 5000, reset = IN_AN_HOUR): TokenBudget {
  return { fingerprint: `fp-${remaining}`, limit, remaining, reset, estimated: false };
}

describe(refreshAllowance.name, () => {
  it('should give the share of what is left above the reserve', () => {
    expect(refreshAllowance([budget(1050)], 50, 0.5, NOW_MS)).toBe(500);
  });

  it('should sum every credential, a spent one counting nothing rather than less', () => {
    expect(refreshAllowance([budget(1050), budget(10), budget(250)], 50, 0.5, NOW_MS)).toBe(600);
  });

  it('should hold back at most a tenth of a small limit as reserve, as the governor does', () => {
    expect(refreshAllowance([budget(60, 60)], 50, 1, NOW_MS)).toBe(54);
  });

  it('should count the whole limit of a credential whose window has reset', () => {
    expect(refreshAllowance([budget(0, 5000, NOW_MS / 1000 - 1)], 50, 0.1, NOW_MS)).toBe(495);
  });

  it('should count what is left of an estimated budget even past its reset', () => {
    const estimated = { ...budget(300, 5000, 0), estimated: true };

    expect(refreshAllowance([estimated], 50, 1, NOW_MS)).toBe(250);
  });

  it('should take off what earlier rounds of the window planned, against the budget before them', () => {
    // 1,050 above the reserve before the first round; it planned 500 (half), leaving 550.
    expect(refreshAllowance([budget(600)], 50, 0.5, NOW_MS, 500)).toBe(25);
    expect(refreshAllowance([budget(550)], 50, 0.5, NOW_MS, 500)).toBe(0);
  });

  it('should never answer less than nothing', () => {
    expect(refreshAllowance([budget(100)], 50, 0.5, NOW_MS, 500)).toBe(0);
  });
});

describe(refreshCost.name, () => {
  it.each([
    [undefined, 2],
    [0, 2],
    [100, 2],
    [101, 3],
    [10_000, 101],
  ])('should count the profile and the list pages of %p repositories as %p', (repos, cost) => {
    expect(refreshCost(repos)).toBe(cost);
  });
});
