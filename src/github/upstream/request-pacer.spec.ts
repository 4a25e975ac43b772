import { RequestPacer } from './request-pacer';

const T0 = 1_700_000_000_000;

describe(RequestPacer.name, () => {
  it('should let the first perMinute requests go at once', () => {
    const pacer = new RequestPacer(3);

    expect([0, 1, 2].map((i) => pacer.reserve('token', T0 + i))).toEqual([0, 0, 0]);
  });

  it('should make the next request wait until the oldest of the minute is a minute old', () => {
    const pacer = new RequestPacer(3);
    [0, 1000, 2000].forEach((t) => pacer.reserve('token', T0 + t));

    expect(pacer.reserve('token', T0 + 5000)).toBe(55_000);
    expect(pacer.reserve('token', T0 + 5000)).toBe(56_000);
  });

  it('should spread a burst: slots already promised count as sent', () => {
    const pacer = new RequestPacer(2);
    const waits = [0, 1, 2, 3, 4].map(() => pacer.reserve('token', T0));

    expect(waits).toEqual([0, 0, 60_000, 60_000, 120_000]);
  });

  it('should pace each token on its own', () => {
    const pacer = new RequestPacer(1);
    pacer.reserve('spent', T0);

    expect(pacer.reserve('other', T0)).toBe(0);
    expect(pacer.reserve('spent', T0 + 59_999)).toBe(1);
    expect(pacer.reserve('spent', T0 + 200_000)).toBe(0);
  });
});
