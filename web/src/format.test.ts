import { describe, expect, it, vi } from 'vitest';
import {
  formatAge,
  formatBytes,
  formatDay,
  formatMonth,
  formatRelative,
  formatShare,
  formatShortDay,
  initialsOf,
} from './format';

const NOW = new Date('2026-11-26T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

describe('formatRelative', () => {
  it.each([
    [0, 'now'],
    [5, '5 seconds ago'],
    [60, '1 minute ago'],
    [5 * 60, '5 minutes ago'],
    [3 * 3600, '3 hours ago'],
    [86_400, 'yesterday'],
    [-1800, 'in 30 minutes'],
    [-1797, 'in 30 minutes'],
    [5 * 60 + 59, '5 minutes ago'],
  ])('should say %i seconds ago as "%s"', (seconds, expected) => {
    expect(formatRelative(ago(seconds), NOW)).toBe(expected);
  });
});

describe('formatAge', () => {
  it.each([
    ['2011-01-25T18:44:36Z', '15 years'],
    ['2025-11-26T12:00:00Z', '1 year'],
    ['2026-09-01T00:00:00Z', '2 months'],
    ['2026-11-23T00:00:00Z', '3 days'],
    ['2026-11-26T11:00:00Z', 'less than a day'],
  ])('should give an account created %s an age of %s', (createdAt, expected) => {
    expect(formatAge(createdAt, NOW)).toBe(expected);
  });
});

describe('formatShare', () => {
  it('should round to one decimal', () => {
    expect(formatShare(30 / 68)).toBe('44.1%');
    expect(formatShare(1)).toBe('100.0%');
    expect(formatShare(0.11)).toBe('11.0%');
  });
});

describe('initialsOf', () => {
  it.each([
    ['Mona Lisa Octocat', 'octocat', 'MO'],
    ['The Octocat', 'octocat', 'TO'],
    ['single', 'octocat', 'S'],
    [null, 'octocat', 'O'],
    ['  ', 'hubot', 'H'],
  ])('should make %s (%s) into %s', (name, login, expected) => {
    expect(initialsOf(name, login)).toBe(expected);
  });
});

describe('formatDay', () => {
  it('should write a UTC day as that day', () => {
    expect(formatDay('2026-12-05')).toBe('Dec 5, 2026');
    expect(formatShortDay('2026-01-01')).toBe('Jan 1');
    expect(formatMonth('2025-03-31')).toBe('Mar 2025');
  });

  it('should read a UTC day as that day west of Greenwich too', async () => {
    const tz = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    vi.resetModules();
    try {
      // Loaded afresh, so its formatters are made in this time zone.
      const west = await import('./format');
      expect(west.formatDay('2026-12-05')).toBe('Dec 5, 2026');
      expect(west.formatShortDay('2026-01-01')).toBe('Jan 1');
    } finally {
      process.env.TZ = tz;
    }
  });
});

describe('formatBytes', () => {
  it.each([
    [1, '1 byte'],
    [999, '999 bytes'],
    [1000, '1 kB'],
    [300_000, '300 kB'],
    [1_250_000, '1.3 MB'],
    [2_000_000_000, '2 GB'],
  ])('should write %d as %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});
