import { ApiProperty } from '@nestjs/swagger';
import { Profile } from '../../accounts/profile.model';

export class ProfileWithFetchedAt extends Profile {
  @ApiProperty({ format: 'date-time', description: 'When GitHub last confirmed this data' })
  fetchedAt: string;
}
