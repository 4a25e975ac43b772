import { ApiProperty } from '@nestjs/swagger';
import { DashboardSummary } from './summary.model';

export class SummaryResponse extends DashboardSummary {
  @ApiProperty({
    format: 'date-time',
    description: 'When GitHub last confirmed the older of profile and repositories',
  })
  fetchedAt: string;
}
