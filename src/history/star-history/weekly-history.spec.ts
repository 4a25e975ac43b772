import { GithubBadGatewayError } from '../../github/api/github-errors';
import { starsGivenByDay, toHistoryWeeks } from './weekly-history';

const SUNDAY = Date.UTC(2026, 10, 29) / 1000; // 2026-11-29, a Sunday

describe(toHistoryWeeks.name, () => {
  it("should date each week by its Sunday, Sunday first, whether GitHub's day starts at UTC or US-Pacific midnight", () => {
    // Act
    const weeks = toHistoryWeeks([
      { week: SUNDAY, total: 3, days: [1, 0, 0, 0, 0, 0, 2] },
      { week: SUNDAY - 7 * 86_400 + 8 * 3_600, total: 0, days: [0, 0, 0, 0, 0, 0, 0] },
    ]);

    // Assert
    expect(weeks).toEqual([
      { start: '2026-11-29', days: [1, 0, 0, 0, 0, 0, 2] },
      { start: '2026-11-22', days: [0, 0, 0, 0, 0, 0, 0] },
    ]);
  });

  it.each([
    ['not a list', { weeks: [] }],
    ['a week without days', [{ week: SUNDAY, total: 0 }]],
    ['six days', [{ week: SUNDAY, total: 0, days: [0, 0, 0, 0, 0, 0] }]],
    ['a negative count', [{ week: SUNDAY, total: 0, days: [0, 0, 0, -1, 0, 0, 1] }]],
    [
      'a week that is not a number',
      [{ week: '2026-11-29', total: 0, days: [0, 0, 0, 0, 0, 0, 0] }],
    ],
  ])('should refuse %s as a bad gateway', (_what, body) => {
    // Act / Assert
    expect(() => toHistoryWeeks(body)).toThrow(GithubBadGatewayError);
  });
});

describe(starsGivenByDay.name, () => {
  it('should count a week seen on two pages once, and drop the days after today', () => {
    // Arrange
    const week = { start: '2026-11-29', days: [1, 0, 2, 0, 5, 0, 0] };

    // Act
    const byDay = starsGivenByDay(
      [week, { start: '2026-11-22', days: [0, 0, 0, 0, 0, 0, 3] }, week],
      '2026-12-01',
    );

    // Assert
    expect([...byDay]).toEqual([
      ['2026-11-29', 1],
      ['2026-12-01', 2],
      ['2026-11-28', 3],
    ]);
  });
});
