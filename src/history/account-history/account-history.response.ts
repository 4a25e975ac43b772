import { ApiProperty } from '@nestjs/swagger';
import { AccountHistory } from './account-history.model';

export class AccountHistoryWithFetchedAt extends AccountHistory {
  @ApiProperty({ format: 'date-time', description: 'When this history was read from the database' })
  fetchedAt: string;
}
