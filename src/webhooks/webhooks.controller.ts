import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { problemResponse } from '../common/api-problem-responses.decorator';
import { Problem } from '../common/problem';
import { WebhookReceiver } from './delivery/webhook-receiver';
import { WebhookAcceptedResponse } from './dto/webhook-accepted.response';

/** GitHub's deliveries: signed, not a client's traffic (no public throttle; its own bound). */
@ApiTags('webhooks')
@ApiExtraModels(Problem)
@SkipThrottle()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly receiver: WebhookReceiver) {}

  @Post('github')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Receives a GitHub webhook delivery (only when GITHUB_WEBHOOK_SECRET is set)',
    description:
      'The signature is checked over the raw body before anything else; a signed delivery is stored under its X-GitHub-Delivery id, answered 202 and processed after the answer (docs/webhooks.md).',
  })
  @ApiHeader({ name: 'X-Hub-Signature-256', required: true, description: 'sha256=<hex HMAC>' })
  @ApiHeader({ name: 'X-GitHub-Event', required: true })
  @ApiHeader({ name: 'X-GitHub-Delivery', required: true })
  @ApiBody({ description: "GitHub's event payload (application/json)", schema: { type: 'object' } })
  @ApiAcceptedResponse({ type: WebhookAcceptedResponse, description: 'Stored (or a duplicate)' })
  @ApiResponse({
    status: 400,
    ...problemResponse(
      400,
      'Signed, but X-GitHub-Delivery/X-GitHub-Event missing or the body not a JSON object',
    ),
  })
  @ApiResponse({
    status: 401,
    ...problemResponse(401, 'No signature, or a wrong one: nothing happened'),
  })
  @ApiResponse({ status: 413, ...problemResponse(413, 'A body over 25 MB (GitHub sends none)') })
  @ApiResponse({ status: 415, ...problemResponse(415, 'Not application/json') })
  @ApiResponse({
    status: 503,
    ...problemResponse(
      503,
      'The history database (where deliveries are stored) is unavailable or turned off, or more than WEBHOOK_MAX_IN_FLIGHT deliveries arrive at once; redeliver later',
    ),
  })
  receive(@Req() request: FastifyRequest): Promise<WebhookAcceptedResponse> {
    return this.receiver.receive(request.headers, request.body);
  }
}
