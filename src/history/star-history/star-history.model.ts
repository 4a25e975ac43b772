import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

export const LOST_KINDS = ['exact', 'lower-bound'] as const;

@ApiSchema({ name: 'StarHistoryPoint' })
export class StarHistoryPoint {
  @ApiProperty({
    format: 'date',
    example: '2026-07-01',
    description:
      'A UTC day; with interval week or month, the last day of the period (today for the current one)',
  })
  date: string;
  @ApiProperty({ type: 'integer', example: 1420, description: 'Stars at the end of that day' })
  stars: number;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    example: 12,
    description:
      'Stars given that day (or period) and still held today, as GitHub counts them; absent where unknown (source `snapshots`, a sampled list)',
  })
  gained?: number;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    example: 2,
    description:
      'Stars removed that day (or period), where this service recorded the total on that day and the day before (docs/history.md); absent where unknown',
  })
  lost?: number;
  @ApiPropertyOptional({
    enum: LOST_KINDS,
    description:
      '`lower-bound`: derived from recorded totals, at least this many; `exact`: counted from star events. Present with `lost`',
  })
  lostKind?: (typeof LOST_KINDS)[number];
}

export const STAR_HISTORY_SOURCES = ['history', 'stargazers', 'snapshots'] as const;
export type StarHistorySource = (typeof STAR_HISTORY_SOURCES)[number];

export const STAR_HISTORY_INTERVALS = ['day', 'week', 'month'] as const;
export type StarHistoryInterval = (typeof STAR_HISTORY_INTERVALS)[number];

/** A repository's stars over time, oldest first, ending today. */
@ApiSchema({ name: 'StarHistoryResponse' })
export class StarHistory {
  @ApiProperty({ example: 'octocat/Hello-World' }) fullName: string;
  @ApiProperty({ type: 'integer', example: 1420, description: "GitHub's stargazers_count now" })
  stars: number;
  @ApiProperty({
    enum: STAR_HISTORY_SOURCES,
    description:
      "`history`: GitHub's weekly star history (any public repository); `stargazers`: rebuilt from GitHub's stargazer list (readable by the repository's admins and collaborators only, used where GitHub has no history endpoint); `snapshots`: recorded by this service",
  })
  source: StarHistorySource;
  @ApiProperty({
    description:
      "True when the history is complete: GitHub's weekly counts add up to stargazers_count, or every page of the stargazer list was read",
  })
  exact: boolean;
  @ApiProperty({
    enum: STAR_HISTORY_INTERVALS,
    description: 'One point per day, week (Sunday to Saturday, UTC) or month with a change',
  })
  interval: StarHistoryInterval;
  @ApiProperty({
    format: 'date',
    example: '2019-03-02',
    description: 'The first day of the history',
  })
  since: string;
  @ApiProperty({ type: [StarHistoryPoint] }) points: StarHistoryPoint[];
}
