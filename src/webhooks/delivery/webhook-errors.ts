import { ProblemError } from '../../common/problem-error';

/** A delivery without a signature, or whose signature no configured secret made: nothing happens. */
export class WebhookSignatureError extends ProblemError {
  override readonly name = 'WebhookSignatureError';
  readonly status = 401;
  readonly title = 'Unauthorized';
  readonly slug = 'invalid-webhook-signature';
}

/** A correctly signed delivery this service cannot read (headers missing, body not a JSON object). */
export class InvalidWebhookDeliveryError extends ProblemError {
  override readonly name = 'InvalidWebhookDeliveryError';
  readonly status = 400;
  readonly title = 'Bad Request';
  readonly slug = 'invalid-webhook-delivery';
}
