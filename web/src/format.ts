const numbers = new Intl.NumberFormat('en-US');
const percents = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const dates = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
// Days (YYYY-MM-DD) are UTC days: formatted in UTC, so "2026-12-05" never reads as Dec 4.
const days = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const shortDays = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const months = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const times = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' });

export function formatNumber(n: number): string {
  return numbers.format(n);
}

export function formatShare(share: number): string {
  return percents.format(share);
}

export function formatDate(iso: string): string {
  return dates.format(new Date(iso));
}

/** A UTC day as the API writes it (`2026-12-05`): "Dec 5, 2026". */
export function formatDay(day: string): string {
  return days.format(new Date(`${day}T00:00:00Z`));
}

/** A chart's axis label for a UTC day: "Dec 5". */
export function formatShortDay(day: string): string {
  return shortDays.format(new Date(`${day}T00:00:00Z`));
}

/** A chart's axis label for a UTC day over a long range: "Mar 2025". */
export function formatMonth(day: string): string {
  return months.format(new Date(`${day}T00:00:00Z`));
}

/** "1.2 MB", "340 kB", "12 bytes": sizes of source code, in SI units as GitHub shows them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) {
    return `${numbers.format(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  }
  const [unit, size] = bytes < 1e6 ? ['kB', 1e3] : bytes < 1e9 ? ['MB', 1e6] : ['GB', 1e9];
  return `${oneDecimal.format(bytes / size)} ${unit}`;
}

export function formatTime(date: Date): string {
  return times.format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/**
 * "3 minutes ago" (whole units passed), "in 30 minutes" (the nearest unit: a retry time of
 * 29 min 57 s reads as half an hour), "now".
 */
export function formatRelative(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 1) {
    return 'now';
  }
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      const n = seconds > 0 ? Math.round(seconds / size) : Math.trunc(seconds / size);
      return relative.format(n, unit);
    }
  }
  return 'now';
}

/** "14 years", "3 months", "5 days": how long an account has existed. */
export function formatAge(createdAt: string, now: Date): string {
  const seconds = Math.max(0, (now.getTime() - new Date(createdAt).getTime()) / 1000);
  for (const [unit, size] of UNITS.slice(0, 3)) {
    const n = Math.floor(seconds / size);
    if (n >= 1) {
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return 'less than a day';
}

/** Up to two letters for an avatar that cannot be shown: "Mona Lisa" → "ML", "octocat" → "O". */
export function initialsOf(name: string | null, login: string): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length >= 2 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? login)[0];
  return (letters ?? '?').toUpperCase();
}
