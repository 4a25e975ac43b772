import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  Max,
  Min,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { toInteger } from '../../config/validate-env';
import { addDays } from '../../common/clock';

export const MAX_HISTORY_DAYS = 3650;
export const DEFAULT_HISTORY_DAYS = 90;
const DAYS_RULE = `days must be an integer from 1 to ${MAX_HISTORY_DAYS}`;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day: `2026-02-30` matches the pattern but is not one. */
function isCalendarDay(value: string): boolean {
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(value);
}

@ValidatorConstraint({ name: 'calendarDay' })
class CalendarDay implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && DAY_PATTERN.test(value) && isCalendarDay(value);
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be a date as YYYY-MM-DD`;
  }
}

@ValidatorConstraint({ name: 'daysAlone' })
class DaysAlone implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    const query = args.object as AccountHistoryQuery;
    return query.from === undefined && query.to === undefined;
  }

  defaultMessage(): string {
    return 'days cannot be combined with from or to: give either days, or from and/or to';
  }
}

@ValidatorConstraint({ name: 'notBeforeFrom' })
class NotBeforeFrom implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const { from } = args.object as AccountHistoryQuery;
    return from === undefined || typeof value !== 'string' || from <= value;
  }

  defaultMessage(): string {
    return 'to must not be before from';
  }
}

/** Query of `GET /github/users/:username/history`: the last `days`, or `from`..`to` (inclusive). */
export class AccountHistoryQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_HISTORY_DAYS,
    default: DEFAULT_HISTORY_DAYS,
    description: 'The last N UTC days, today included; not together with from/to',
  })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: DAYS_RULE })
  @Min(1, { message: DAYS_RULE })
  @Max(MAX_HISTORY_DAYS, { message: DAYS_RULE })
  @Validate(DaysAlone)
  days?: number;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-01-01',
    description: 'First day (UTC, inclusive); default: the first day recorded',
  })
  @IsOptional()
  @Validate(CalendarDay)
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-06-30',
    description: 'Last day (UTC, inclusive); default: today',
  })
  @IsOptional()
  @Validate(CalendarDay)
  @Validate(NotBeforeFrom)
  to?: string;
}

/**
 * The inclusive day range a query asks for, given today's UTC date, clamped to the days history
 * keeps (today − HISTORY_RETENTION_DAYS .. today): the range names the cached answer, so a client
 * cannot mint a new Redis key with every far-past `from` or far-future `to`. Nothing outside that
 * window can have a row, so the answer is the same. A range wholly outside it becomes the one
 * empty range `today + 1 .. today`.
 */
export function dayRange(
  query: AccountHistoryQuery,
  today: string,
  retentionDays: number,
): { from: string; to: string } {
  const first = addDays(today, -retentionDays);
  const asked =
    query.from !== undefined || query.to !== undefined
      ? { from: query.from ?? first, to: query.to ?? today }
      : { from: addDays(today, -((query.days ?? DEFAULT_HISTORY_DAYS) - 1)), to: today };
  if (asked.from > today || asked.to < first) {
    return { from: addDays(today, 1), to: today };
  }
  return {
    from: asked.from < first ? first : asked.from,
    to: asked.to > today ? today : asked.to,
  };
}
