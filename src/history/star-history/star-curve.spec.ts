import { coarsen, curveFromDays } from './star-curve';
import { lossesByDay } from './star-losses';

describe(curveFromDays.name, () => {
  it('should give one point per day with a star given or lost, cumulative, ending today at the current count', () => {
    // Arrange
    const given = new Map([
      ['2026-11-02', 3],
      ['2026-11-05', 2],
    ]);
    const losses = lossesByDay(
      [
        { date: '2026-11-06', stars: 5 },
        { date: '2026-11-07', stars: 4 },
      ],
      given,
    );

    // Act
    const points = curveFromDays(given, losses, '2026-11-08', 4);

    // Assert
    expect(points).toEqual([
      { date: '2026-11-02', stars: 3, gained: 3 },
      { date: '2026-11-05', stars: 5, gained: 2 },
      { date: '2026-11-07', stars: 5, gained: 0, lost: 1, lostKind: 'lower-bound' },
      { date: '2026-11-08', stars: 4, gained: 0 },
    ]);
  });
});

describe(lossesByDay.name, () => {
  it('should bound the stars lost by the stars given still held minus the recorded change, never below 0', () => {
    // Act
    const losses = lossesByDay(
      [
        { date: '2026-11-01', stars: 10 },
        { date: '2026-11-02', stars: 12 },
        { date: '2026-11-03', stars: 20 },
        { date: '2026-11-05', stars: 19 },
      ],
      new Map([
        ['2026-11-02', 5],
        ['2026-11-03', 1],
      ]),
    );

    // Assert
    expect([...losses]).toEqual([
      ['2026-11-02', { lost: 3, kind: 'lower-bound' }],
      ['2026-11-03', { lost: 0, kind: 'lower-bound' }],
    ]);
  });

  it('should let exact star events win over the bound', () => {
    // Act
    const losses = lossesByDay(
      [
        { date: '2026-11-01', stars: 10 },
        { date: '2026-11-02', stars: 12 },
      ],
      new Map([['2026-11-02', 5]]),
      [{ date: '2026-11-02', starred: 6, unstarred: 4 }],
    );

    // Assert
    expect(losses.get('2026-11-02')).toEqual({ lost: 4, kind: 'exact' });
  });
});

describe(coarsen.name, () => {
  const points = [
    { date: '2026-10-30', stars: 1, gained: 1 },
    { date: '2026-11-01', stars: 3, gained: 2 },
    { date: '2026-11-06', stars: 4, gained: 2, lost: 1, lostKind: 'lower-bound' as const },
    { date: '2026-11-07', stars: 5, gained: 1, lost: 0, lostKind: 'exact' as const },
    { date: '2026-11-10', stars: 6, gained: 1 },
  ];

  it('should give one point per Sunday-to-Saturday week, dated by its Saturday or today', () => {
    // Act / Assert
    expect(coarsen(points, 'week', '2026-11-10')).toEqual([
      { date: '2026-10-31', stars: 1, gained: 1 },
      { date: '2026-11-07', stars: 5, gained: 5, lost: 1, lostKind: 'lower-bound' },
      { date: '2026-11-10', stars: 6, gained: 1 },
    ]);
  });

  it('should give one point per month, dated by its last day or today', () => {
    // Act / Assert
    expect(coarsen(points, 'month', '2026-11-10')).toEqual([
      { date: '2026-10-31', stars: 1, gained: 1 },
      { date: '2026-11-10', stars: 6, gained: 6, lost: 1, lostKind: 'lower-bound' },
    ]);
  });

  it('should keep the days as they are', () => {
    // Act / Assert
    expect(coarsen(points, 'day', '2026-11-10')).toEqual(points);
  });
});
