import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { STAR_HISTORY_INTERVALS, StarHistoryInterval } from './star-history.model';

/** Query of `GET /github/repos/:owner/:repo/star-history`. */
export class StarHistoryQuery {
  @ApiPropertyOptional({
    enum: STAR_HISTORY_INTERVALS,
    default: 'day',
    description: 'One point per day, week (Sunday to Saturday, UTC) or month with a change',
  })
  @IsOptional()
  @IsIn(STAR_HISTORY_INTERVALS, { message: 'interval must be one of day, week, month' })
  interval?: StarHistoryInterval;
}
