import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
/** `sha256=` and 64 lower-case hex digits, exactly as GitHub writes `X-Hub-Signature-256`. */
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

/**
 * Whether `signature` (`X-Hub-Signature-256`) is the HMAC-SHA256 of the raw `body` bytes under one
 * of `secrets` (the current one first, then those being rotated out), compared in constant time.
 * This is what @octokit/webhooks-methods' `verifyWithFallback` does with the same two node:crypto
 * calls; the library itself is an ES module without a `require` export, whose dynamic import
 * failed intermittently under Jest's VM modules in CI (docs/dependencies.md), and here the bytes
 * are checked as received, with no detour through a UTF-8 string.
 */
export function signatureMatches(
  secrets: readonly string[],
  body: Buffer,
  signature: string | undefined,
): boolean {
  if (secrets.length === 0 || body.length === 0 || !signature || !SIGNATURE.test(signature)) {
    return false;
  }
  const given = Buffer.from(signature.slice(PREFIX.length), 'hex');
  // Every secret is tried, so the time taken does not tell which one matched.
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    matched = timingSafeEqual(expected, given) || matched;
  }
  return matched;
}
