import { ApiProperty } from '@nestjs/swagger';
import { ApiNullableObjectProperty } from '../../../common/api-nullable-object-property.decorator';
import { RepoResponse } from './repo.response';

export class LanguageBytesResponse {
  @ApiProperty({ example: 'TypeScript' }) language: string;
  @ApiProperty({ example: 120934 }) bytes: number;
  @ApiProperty({ example: 0.87, description: "Fraction of the repository's bytes" }) share: number;
}

export class LicenseResponse {
  @ApiProperty({ type: String, nullable: true, example: 'MIT' }) spdxId: string | null;
  @ApiProperty({ example: 'MIT License' }) name: string;
}

export class RepoDetailsResponse extends RepoResponse {
  @ApiProperty({ example: 'main' }) defaultBranch: string;
  @ApiNullableObjectProperty(LicenseResponse, {
    description: 'null when GitHub detected no licence',
  })
  license: LicenseResponse | null;
  @ApiProperty({ type: String, nullable: true, example: 'https://octocat.github.io' }) homepage:
    string | null;
  @ApiProperty({ type: [LanguageBytesResponse], description: 'Largest first' })
  languages: LanguageBytesResponse[];
  @ApiProperty({ format: 'date-time', description: 'When GitHub last confirmed this data' })
  fetchedAt: string;
}
