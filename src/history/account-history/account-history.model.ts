import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** One UTC day of an account; a number is null when it was not recorded that day. */
@ApiSchema({ name: 'AccountHistoryPoint' })
export class AccountHistoryPoint {
  @ApiProperty({ format: 'date', example: '2026-07-01' }) date: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 21000 }) followers: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 9 }) following: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 8 }) publicRepos: number | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 1420,
    description: "The summary's totals.stars: every listed repository, forks included",
  })
  stars: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1300 }) forks: number | null;
}

/** An account's recorded growth: one point per UTC day the service saw it, oldest first. */
@ApiSchema({ name: 'AccountHistoryResponse' })
export class AccountHistory {
  @ApiProperty({ example: 'octocat' }) login: string;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description:
      'The first day recorded for this account (any range); null before the first snapshot',
  })
  since: string | null;
  @ApiProperty({ type: [AccountHistoryPoint] }) points: AccountHistoryPoint[];
}
