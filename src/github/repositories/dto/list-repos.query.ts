import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { toInteger } from '../../../config/validate-env';
import { REPO_SORTS, RepoListingOptions, RepoSort, SortDirection } from './repo-listing-options';

/** 1-64 characters, none of them a control character (documented as the parameter's `pattern`). */
const LANGUAGE_PATTERN = /^[^\p{Cc}]{1,64}$/u;
const MAX_PAGE = 100_000;

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** Query of `GET /github/repos/:username`; anything not declared here is rejected with a 400. */
export class ListReposQuery {
  @ApiPropertyOptional({ enum: REPO_SORTS, default: 'stars' })
  @IsOptional()
  @IsIn(REPO_SORTS, { message: `sort must be one of ${REPO_SORTS.join(', ')}` })
  sort?: RepoSort;

  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    description: 'Default: desc, except asc for sort=name',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'direction must be asc or desc' })
  direction?: SortDirection;

  @ApiPropertyOptional({
    example: 'TypeScript',
    description: 'Case-insensitive; `none` for repositories without a language',
    pattern: LANGUAGE_PATTERN.source,
  })
  @IsOptional()
  @Matches(LANGUAGE_PATTERN, { message: 'language must be 1-64 printable characters' })
  language?: string;

  @ApiPropertyOptional({ type: Boolean, default: true })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'includeForks must be true or false' })
  includeForks?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: `page must be an integer from 1 to ${MAX_PAGE}` })
  @Min(1, { message: `page must be an integer from 1 to ${MAX_PAGE}` })
  @Max(MAX_PAGE, { message: `page must be an integer from 1 to ${MAX_PAGE}` })
  page?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 30 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'perPage must be an integer from 1 to 100' })
  @Min(1, { message: 'perPage must be an integer from 1 to 100' })
  @Max(100, { message: 'perPage must be an integer from 1 to 100' })
  perPage?: number;
}

/** The query with its defaults applied. */
export function toListingOptions(query: ListReposQuery): RepoListingOptions {
  return {
    sort: query.sort ?? 'stars',
    direction: query.direction,
    language: query.language,
    includeForks: query.includeForks ?? true,
    page: query.page ?? 1,
    perPage: query.perPage ?? 30,
  };
}
