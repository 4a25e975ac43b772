import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/api-problem-responses.decorator';
import { RateLimitResponse } from './dto/rate-limit.response';
import { RateLimitService } from './rate-limit.service';

@ApiTags('rate limit')
@Controller('github/rate-limit')
export class RateLimitController {
  constructor(private readonly rateLimits: RateLimitService) {}

  @Get()
  @HttpCode(200)
  @ApiOperation({
    summary: 'GitHub budget per token',
    description:
      "From the rate-limit headers already seen, or GitHub's free `/rate_limit`; spends no budget.",
  })
  @ApiOkResponse({ type: RateLimitResponse })
  @ApiProblemResponses(429)
  async rateLimit(): Promise<RateLimitResponse> {
    const budgets = await this.rateLimits.budgets();
    return {
      tokens: budgets.map((b) => ({
        fingerprint: b.fingerprint,
        limit: b.limit,
        remaining: b.remaining,
        used: b.limit - b.remaining,
        resetAt: b.reset > 0 ? new Date(b.reset * 1000).toISOString() : null,
        estimated: b.estimated,
      })),
    };
  }
}
