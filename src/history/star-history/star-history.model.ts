import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'StarHistoryPoint' })
export class StarHistoryPoint {
  @ApiProperty({ format: 'date', example: '2026-07-01' }) date: string;
  @ApiProperty({ type: 'integer', example: 1420, description: 'Stars at the end of that UTC day' })
  stars: number;
}

export const STAR_HISTORY_SOURCES = ['stargazers', 'snapshots'] as const;
export type StarHistorySource = (typeof STAR_HISTORY_SOURCES)[number];

/** A repository's stars over time, oldest first, ending today. */
@ApiSchema({ name: 'StarHistoryResponse' })
export class StarHistory {
  @ApiProperty({ example: 'octocat/Hello-World' }) fullName: string;
  @ApiProperty({ type: 'integer', example: 1420, description: "GitHub's stargazers_count now" })
  stars: number;
  @ApiProperty({
    enum: STAR_HISTORY_SOURCES,
    description:
      "`stargazers`: rebuilt from GitHub's stargazer list (readable by the repository's admins and collaborators only); `snapshots`: recorded by this service",
  })
  source: StarHistorySource;
  @ApiProperty({
    description:
      'True when every page of the stargazer list was read: one point per day with a star, the count at the end of that day',
  })
  exact: boolean;
  @ApiProperty({
    format: 'date',
    example: '2019-03-02',
    description: 'The first day of the history',
  })
  since: string;
  @ApiProperty({ type: [StarHistoryPoint] }) points: StarHistoryPoint[];
}
