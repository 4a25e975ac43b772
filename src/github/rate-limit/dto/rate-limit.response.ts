import { ApiProperty } from '@nestjs/swagger';

export class TokenBudgetResponse {
  @ApiProperty({
    example: 'tok_1a2b3c4d',
    description: 'A short hash of the token (or `anonymous`); never the token',
  })
  fingerprint: string;
  @ApiProperty({ example: 5000 }) limit: number;
  @ApiProperty({ example: 4987 }) remaining: number;
  @ApiProperty({ example: 13 }) used: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the budget refills',
  })
  resetAt: string | null;
  @ApiProperty({
    description:
      'True when GitHub has not yet reported this budget and the figures are the documented defaults',
  })
  estimated: boolean;
}

export class RateLimitResponse {
  @ApiProperty({ type: [TokenBudgetResponse] }) tokens: TokenBudgetResponse[];
}
