import { createHash } from 'node:crypto';

/** A short, stable name for a token in logs and metrics; the token itself is never shown. */
export function tokenFingerprint(token: string | undefined): string {
  return token
    ? `tok_${createHash('sha256').update(token).digest('hex').slice(0, 8)}`
    : 'anonymous';
}
