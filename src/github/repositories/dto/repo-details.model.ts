import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ApiNullableObjectProperty } from '../../../common/api-nullable-object-property.decorator';
import { Repo } from '../../accounts/repo.model';

@ApiSchema({ name: 'LanguageBytesResponse' })
export class LanguageBytes {
  @ApiProperty({ example: 'TypeScript' }) language: string;
  @ApiProperty({ example: 120934 }) bytes: number;
  @ApiProperty({ example: 0.87, description: "Fraction of the repository's bytes" })
  share: number;
}

@ApiSchema({ name: 'LicenseResponse' })
export class License {
  @ApiProperty({ type: String, nullable: true, example: 'MIT' }) spdxId: string | null;
  @ApiProperty({ example: 'MIT License' }) name: string;
}

/** One repository with what its own page shows beyond the list. */
export class RepoDetails extends Repo {
  @ApiProperty({ example: 'main' }) defaultBranch: string;
  @ApiNullableObjectProperty(License, { description: 'null when GitHub detected no licence' })
  license: License | null;
  @ApiProperty({ type: String, nullable: true, example: 'https://octocat.github.io' })
  homepage: string | null;
  @ApiProperty({ type: [LanguageBytes], description: 'Largest first' })
  languages: LanguageBytes[];
}
