import { ApiProperty } from '@nestjs/swagger';
import { StarHistory } from './star-history.model';

export class StarHistoryWithFetchedAt extends StarHistory {
  @ApiProperty({ format: 'date-time', description: 'When this history was put together' })
  fetchedAt: string;
}
