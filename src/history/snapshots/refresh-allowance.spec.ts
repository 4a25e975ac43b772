import { refreshAllowance, refreshCost } from './refresh-allowance';

describe(refreshAllowance.name, () => {
  it('should give the share of the spare budget', () => {
    expect(refreshAllowance(1000, 0.5)).toBe(500);
    expect(refreshAllowance(1001, 0.5)).toBe(500);
  });

  it('should take off what earlier rounds of the window planned, against the budget before them', () => {
    // 1,050 spare before the first round; it planned 525 (half), leaving 525 spare.
    expect(refreshAllowance(1050, 0.5)).toBe(525);
    expect(refreshAllowance(550, 0.5, 500)).toBe(25);
    expect(refreshAllowance(500, 0.5, 500)).toBe(0);
  });

  it('should never answer less than nothing', () => {
    expect(refreshAllowance(50, 0.5, 500)).toBe(0);
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
