import { createHmac, randomUUID } from 'node:crypto';

/** What GitHub sends: the body's bytes and the headers that describe them. */
export interface SignedDelivery {
  id: string;
  event: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface DeliveryOptions {
  /** A JSON value (serialized as GitHub does), or the exact bytes to send (malformed bodies). */
  payload: unknown;
  /** `X-GitHub-Delivery`; a fresh GUID unless told (a redelivery repeats one). */
  id?: string;
  /** The secret to sign with; `null` sends no signature at all. */
  secret?: string | null;
  /** A signature to send instead of the right one (a forgery). */
  signature?: string;
}

/**
 * Deliveries as GitHub's webhooks send them (../shared/GITHUB-API.md, "Webhooks"): the body signed
 * with HMAC-SHA256 over its exact bytes (`X-Hub-Signature-256: sha256=<hex>`), computed here with
 * node:crypto, independently of the library the service uses to check it.
 */
export class WebhookSender {
  constructor(private readonly secret: string) {}

  delivery(event: string, options: DeliveryOptions): SignedDelivery {
    const body = Buffer.isBuffer(options.payload)
      ? options.payload
      : Buffer.from(
          typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload),
        );
    const id = options.id ?? randomUUID();
    const secret = options.secret === undefined ? this.secret : options.secret;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/fake',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-github-hook-id': '1',
    };
    const signature = options.signature ?? (secret === null ? undefined : sign(secret, body));
    if (signature !== undefined) {
      headers['x-hub-signature-256'] = signature;
    }
    return { id, event, headers, body };
  }

  /** POSTs a delivery to the service at `baseUrl` (its `/webhooks/github`). */
  static async send(baseUrl: string, delivery: SignedDelivery): Promise<DeliveryAnswer> {
    const response = await fetch(`${baseUrl}/webhooks/github`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      text: await response.text(),
    };
  }
}

/** The service's answer, in the shape the tests' problem assertions read. */
export interface DeliveryAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export function sign(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A `star` payload as GitHub sends it, for a repository of the fake. */
export function starPayload(
  repo: {
    full_name: string;
    stargazers_count: number;
    forks_count: number;
    open_issues_count: number;
  },
  action: 'created' | 'deleted',
  starredAt: string | null,
): Record<string, unknown> {
  const [owner, name] = repo.full_name.split('/');
  return {
    action,
    starred_at: action === 'created' ? starredAt : null,
    repository: {
      full_name: repo.full_name,
      name,
      owner: { login: owner },
      stargazers_count: repo.stargazers_count,
      forks_count: repo.forks_count,
      open_issues_count: repo.open_issues_count,
    },
    sender: { login: 'someone' },
  };
}

/** A `push` payload (the fields the service reads) for a repository `owner/name`. */
export function pushPayload(fullName: string): Record<string, unknown> {
  const [owner, name] = fullName.split('/');
  return {
    ref: 'refs/heads/main',
    repository: { full_name: fullName, name, owner: { login: owner } },
    sender: { login: owner },
  };
}
