import { ApiProperty } from '@nestjs/swagger';
import { RepoDetails } from './repo-details.model';

export class RepoDetailsResponse extends RepoDetails {
  @ApiProperty({ format: 'date-time', description: 'When GitHub last confirmed this data' })
  fetchedAt: string;
}
