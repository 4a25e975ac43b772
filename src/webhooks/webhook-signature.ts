/** What this service uses of `@octokit/webhooks-methods` (its types are not reachable from CommonJS). */
interface WebhookMethods {
  verifyWithFallback: (
    secret: string,
    payload: string,
    signature: string,
    additionalSecrets: string[] | undefined,
  ) => Promise<boolean>;
}

/**
 * `@octokit/webhooks-methods` is ESM only and this app compiles to CommonJS, where TypeScript turns
 * `import()` into `require()` (which the package's exports refuse, and Jest's module system too).
 * A real `import()`, kept from the compiler, loads it in Node and under Jest's VM modules alike.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importModule = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<WebhookMethods>;

let loading: Promise<WebhookMethods> | undefined;

/** Loads the library once (at start-up, so that no delivery waits for it). */
export function loadWebhookMethods(): Promise<WebhookMethods> {
  loading ??= importModule('@octokit/webhooks-methods');
  return loading;
}

/**
 * Whether `signature` (`X-Hub-Signature-256`, `sha256=<hex>`) is the HMAC-SHA256 of `body` under
 * one of `secrets` (the current one first, then those being rotated out), compared in constant
 * time by the library. The library signs a string's UTF-8 bytes: a body that is not valid UTF-8
 * would be checked over other bytes than were received, so it is refused (GitHub's JSON always is).
 */
export async function signatureMatches(
  secrets: readonly string[],
  body: Buffer,
  signature: string | undefined,
): Promise<boolean> {
  const [first, ...others] = secrets;
  if (!first || !signature || body.length === 0) {
    return false;
  }
  const payload = body.toString('utf8');
  if (Buffer.byteLength(payload) !== body.length || !Buffer.from(payload).equals(body)) {
    return false;
  }
  const methods = await loadWebhookMethods();
  return (await methods.verifyWithFallback(first, payload, signature, others)) === true;
}
