import { accumulateByDay, mergeStarPoints, samplePoints } from './star-points';

describe(accumulateByDay.name, () => {
  it('should give one point per day, the count at the end of that day', () => {
    // Act
    const points = accumulateByDay([
      '2024-01-01T09:00:00.000Z',
      '2024-01-01T23:59:59.000Z',
      '2024-01-03T00:00:00.000Z',
      '2024-01-03T12:00:00.000Z',
      '2024-01-03T18:00:00.000Z',
      '2024-02-10T08:00:00.000Z',
    ]);

    // Assert
    expect(points).toEqual([
      { date: '2024-01-01', stars: 2 },
      { date: '2024-01-03', stars: 5 },
      { date: '2024-02-10', stars: 6 },
    ]);
  });

  it('should date a star by its UTC day', () => {
    // Act
    const points = accumulateByDay(['2024-01-01T23:30:00.000Z']);

    // Assert
    expect(points).toEqual([{ date: '2024-01-01', stars: 1 }]);
  });

  it('should give nothing for an empty list', () => {
    // Act / Assert
    expect(accumulateByDay([])).toEqual([]);
  });
});

describe(samplePoints.name, () => {
  it("should place each page's first stargazer at (page - 1) × 100 + 1, and the last page's last one", () => {
    // Act
    const points = samplePoints([
      { page: 1, starredAt: ['2020-01-01T00:00:00.000Z', '2020-01-02T00:00:00.000Z'] },
      { page: 50, starredAt: ['2021-06-01T00:00:00.000Z', '2021-06-03T00:00:00.000Z'] },
      { page: 100, starredAt: ['2023-01-01T00:00:00.000Z', '2023-01-09T00:00:00.000Z'] },
    ]);

    // Assert
    expect(points).toEqual([
      { date: '2020-01-01', stars: 1 },
      { date: '2021-06-01', stars: 4_901 },
      { date: '2023-01-01', stars: 9_901 },
      { date: '2023-01-09', stars: 9_902 },
    ]);
  });

  it('should keep the higher count for a day sampled twice, and skip empty pages', () => {
    // Act
    const points = samplePoints([
      { page: 3, starredAt: ['2020-01-01T10:00:00.000Z'] },
      { page: 2, starredAt: ['2020-01-01T09:00:00.000Z'] },
      { page: 4, starredAt: [] },
    ]);

    // Assert
    expect(points).toEqual([{ date: '2020-01-01', stars: 201 }]);
  });
});

describe(mergeStarPoints.name, () => {
  const retroactive = [
    { date: '2026-01-01', stars: 10 },
    { date: '2026-01-05', stars: 20 },
  ];
  const recorded = [
    { date: '2026-01-05', stars: 21 },
    { date: '2026-01-07', stars: 25 },
    { date: '2026-01-09', stars: 26 },
  ];

  it('should end with today at the current count, dropping later days', () => {
    // Act
    const points = mergeStarPoints(retroactive, recorded, '2026-01-08', 30, false);

    // Assert
    expect(points).toEqual([
      { date: '2026-01-01', stars: 10 },
      { date: '2026-01-05', stars: 20 },
      { date: '2026-01-07', stars: 25 },
      { date: '2026-01-08', stars: 30 },
    ]);
  });

  it('should let a recorded day win over a sampled one when asked', () => {
    // Act
    const points = mergeStarPoints(retroactive, recorded, '2026-01-08', 30, true);

    // Assert
    expect(points.find((p) => p.date === '2026-01-05')).toEqual({ date: '2026-01-05', stars: 21 });
  });

  it('should answer today alone when nothing is known', () => {
    // Act / Assert
    expect(mergeStarPoints([], [], '2026-01-08', 3, true)).toEqual([
      { date: '2026-01-08', stars: 3 },
    ]);
  });
});
