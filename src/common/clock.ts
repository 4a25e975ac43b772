import { Injectable } from '@nestjs/common';

/** `YYYY-MM-DD` of a moment, in UTC. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The day `days` after (or before, when negative) a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return utcDay(at);
}

/**
 * Today's UTC date for history. Injectable so tests can build a multi-day series in minutes
 * (`jest.spyOn(app.get(Clock), 'today')`); everything that dates a snapshot asks it.
 */
@Injectable()
export class Clock {
  today(): string {
    return utcDay(new Date());
  }
}
