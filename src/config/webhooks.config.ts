import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { OptionalIntegerEnv, validateEnv } from './validate-env';

/** GitHub's own ceiling: it does not send a payload over 25 MB. */
export const WEBHOOK_MAX_BODY_BYTES = 25 * 1024 * 1024;

const SECRET_RULE =
  'GITHUB_WEBHOOK_SECRET must be one secret or a comma-separated list of secrets (the one GitHub uses now first while rotating), each 1-256 characters without spaces or commas';

export class WebhooksEnvironment {
  /** Unset: no webhook route at all. A list, so that a secret can be rotated without downtime. */
  @IsOptional()
  @Matches(/^[^\s,]{1,256}(,[^\s,]{1,256})*$/, { message: SECRET_RULE })
  GITHUB_WEBHOOK_SECRET?: string;

  /** Deliveries received at once per replica (the route's own bound; beyond it: 503). */
  @OptionalIntegerEnv('WEBHOOK_MAX_IN_FLIGHT', 1, 1000)
  WEBHOOK_MAX_IN_FLIGHT?: number;

  /** How often each replica looks for deliveries nobody processed (a process died after its 202). */
  @OptionalIntegerEnv('WEBHOOK_SWEEP_INTERVAL_SECONDS', 1, 3600)
  WEBHOOK_SWEEP_INTERVAL_SECONDS?: number;

  /** How long a claim on a delivery holds before another replica may take it over. */
  @OptionalIntegerEnv('WEBHOOK_CLAIM_SECONDS', 1, 3600)
  WEBHOOK_CLAIM_SECONDS?: number;

  /** Delivery ids are remembered this long (redeliveries are refused as duplicates); at least 7. */
  @OptionalIntegerEnv('WEBHOOK_RETENTION_DAYS', 7, 3650)
  WEBHOOK_RETENTION_DAYS?: number;
}

export const webhooksConfig = registerAs('webhooks', () => {
  const env = validateEnv(WebhooksEnvironment);
  const secrets = env.GITHUB_WEBHOOK_SECRET?.split(',') ?? [];
  return {
    enabled: secrets.length > 0,
    secrets,
    maxInFlight: env.WEBHOOK_MAX_IN_FLIGHT ?? 32,
    sweepIntervalMs: (env.WEBHOOK_SWEEP_INTERVAL_SECONDS ?? 30) * 1000,
    claimMs: (env.WEBHOOK_CLAIM_SECONDS ?? 60) * 1000,
    retentionDays: env.WEBHOOK_RETENTION_DAYS ?? 7,
    maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
  };
});

export type WebhooksConfig = ReturnType<typeof webhooksConfig>;
