import { MAX_LISTABLE_PAGES, planStargazerPages } from './stargazer-plan';

describe(planStargazerPages.name, () => {
  it('should read nothing for a repository without stars', () => {
    // Act
    const plan = planStargazerPages(0, 30);

    // Assert
    expect(plan).toEqual({ pages: [], exact: true });
  });

  it('should read every page when the list fits the budget', () => {
    // Act
    const plan = planStargazerPages(2_950, 30);

    // Assert
    expect(plan).toEqual({ pages: Array.from({ length: 30 }, (_, i) => i + 1), exact: true });
  });

  it('should sample when one page more than the budget is needed', () => {
    // Act
    const plan = planStargazerPages(3_001, 30);

    // Assert
    expect(plan.exact).toBe(false);
    expect(plan.pages).toHaveLength(30);
    expect(plan.pages[0]).toBe(1);
    expect(plan.pages.at(-1)).toBe(31);
  });

  it('should spread samples evenly, first and last listable page included', () => {
    // Act
    const plan = planStargazerPages(10_000, 5);

    // Assert
    expect(plan).toEqual({ pages: [1, 26, 51, 75, 100], exact: false });
  });

  it('should never ask past the last listable page, however many stars', () => {
    // Act
    const plan = planStargazerPages(250_000, 30);

    // Assert
    expect(plan.pages).toHaveLength(30);
    expect(plan.pages.at(-1)).toBe(MAX_LISTABLE_PAGES);
    expect(Math.max(...plan.pages)).toBeLessThanOrEqual(MAX_LISTABLE_PAGES);
    expect(new Set(plan.pages).size).toBe(plan.pages.length);
  });

  it('should keep pages ascending and distinct for any budget', () => {
    for (const [stars, budget] of [
      [4_000, 39],
      [40_100, 2],
      [39_999, 399],
      [123_456, 17],
    ]) {
      // Act
      const { pages } = planStargazerPages(stars, budget);

      // Assert
      expect(pages).toEqual([...new Set(pages)].sort((a, b) => a - b));
      expect(pages.length).toBeLessThanOrEqual(budget);
    }
  });
});
