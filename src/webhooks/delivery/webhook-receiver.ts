import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { IncomingHttpHeaders } from 'node:http';
import { webhooksConfig } from '../../config/webhooks.config';
import { WebhookAcceptedResponse } from '../dto/webhook-accepted.response';
import { InvalidWebhookDeliveryError, WebhookSignatureError } from './webhook-errors';
import { WebhookMetrics } from './webhook-metrics';
import { signatureMatches } from './webhook-signature';
import { DeliveryStore } from './delivery-store';
import { WebhookProcessor } from './webhook-processor';

/** GitHub's delivery ids are GUIDs; anything of this shape is accepted, nothing longer. */
const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const EVENT_NAME = /^[a-z_]{1,100}$/;

/**
 * Receives a delivery: its signature first (over the bytes received, nothing parsed before), then
 * its headers and JSON, then stores it under its delivery id and hands it to the processor. What
 * is answered 202 is stored; a delivery id stored before is answered 202 `duplicate` and not
 * processed again.
 */
@Injectable()
export class WebhookReceiver {
  constructor(
    @Inject(webhooksConfig.KEY) private readonly config: ConfigType<typeof webhooksConfig>,
    private readonly store: DeliveryStore,
    private readonly processor: WebhookProcessor,
    private readonly metrics: WebhookMetrics,
  ) {}

  async receive(headers: IncomingHttpHeaders, body: unknown): Promise<WebhookAcceptedResponse> {
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const event = header(headers, 'x-github-event');
    if (!signatureMatches(this.config.secrets, raw, header(headers, 'x-hub-signature-256'))) {
      this.metrics.record(event, 'unsigned');
      throw new WebhookSignatureError(
        'X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of this body under the webhook secret',
      );
    }
    const id = header(headers, 'x-github-delivery');
    if (!id || !DELIVERY_ID.test(id) || !event || !EVENT_NAME.test(event)) {
      this.metrics.record(event, 'invalid');
      throw new InvalidWebhookDeliveryError(
        'X-GitHub-Delivery (a GUID) and X-GitHub-Event (an event name) are required',
      );
    }
    const action = actionOf(raw);
    if (action === undefined) {
      this.metrics.record(event, 'invalid');
      throw new InvalidWebhookDeliveryError('The body is not a JSON object');
    }
    const stored = await this.store.insert({ id, event, action, payload: raw.toString('utf8') });
    this.metrics.record(event, stored ? 'accepted' : 'duplicate');
    if (stored) {
      this.processor.kick(id);
    }
    return { deliveryId: id, event, status: stored ? 'accepted' : 'duplicate' };
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The payload's `action` (null when it has none); undefined when the body is not a JSON object. */
function actionOf(raw: Buffer): string | null | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return undefined;
  }
  const { action } = payload as { action?: unknown };
  return typeof action === 'string' ? action.slice(0, 100) : null;
}
