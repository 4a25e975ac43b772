import { AccountHistoryQuery, dayRange } from './account-history.query';

const TODAY = '2026-06-15';
const RETENTION = 30;
/** today − 30 days: the first day history keeps. */
const FIRST = '2026-05-16';

function range(query: AccountHistoryQuery) {
  return dayRange(query, TODAY, RETENTION);
}

describe(dayRange.name, () => {
  it('should answer the last 90 days by default, clamped to the retention', () => {
    expect(range({})).toEqual({ from: FIRST, to: TODAY });
    expect(dayRange({}, TODAY, 730)).toEqual({ from: '2026-03-18', to: TODAY });
  });

  it('should answer the last `days` inside the retention as asked', () => {
    expect(range({ days: 3 })).toEqual({ from: '2026-06-13', to: TODAY });
  });

  it('should keep a range inside the retention as asked', () => {
    expect(range({ from: '2026-06-01', to: '2026-06-10' })).toEqual({
      from: '2026-06-01',
      to: '2026-06-10',
    });
  });

  it('should clamp a `from` before the retention to its first day', () => {
    expect(range({ from: '1999-01-01', to: '2026-06-10' })).toEqual({
      from: FIRST,
      to: '2026-06-10',
    });
    expect(range({ days: 3650 })).toEqual({ from: FIRST, to: TODAY });
  });

  it('should clamp a `to` after today to today', () => {
    expect(range({ from: '2026-06-01', to: '2099-12-31' })).toEqual({
      from: '2026-06-01',
      to: TODAY,
    });
  });

  it('should give every unbounded side one key: no `from` is the first day, no `to` is today', () => {
    expect(range({ to: '2026-06-10' })).toEqual({ from: FIRST, to: '2026-06-10' });
    expect(range({ from: '2026-06-01' })).toEqual({ from: '2026-06-01', to: TODAY });
  });

  it('should map every range wholly outside the retention to the one empty range', () => {
    const empty = { from: '2026-06-16', to: TODAY };

    expect(range({ from: '2030-01-01', to: '2030-01-02' })).toEqual(empty);
    expect(range({ from: '2000-01-01', to: '2000-01-31' })).toEqual(empty);
    expect(range({ from: '2026-05-01', to: '2026-05-15' })).toEqual(empty);
  });

  it('should keep the edges of the window', () => {
    expect(range({ from: FIRST, to: FIRST })).toEqual({ from: FIRST, to: FIRST });
    expect(range({ from: TODAY, to: TODAY })).toEqual({ from: TODAY, to: TODAY });
  });
});
