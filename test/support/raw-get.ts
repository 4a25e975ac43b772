import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { sendRequest } from '../../scripts/shared/http-request';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * A GET with the path sent byte for byte and only the headers given (not even a User-Agent).
 * supertest parses URLs with WHATWG `URL`, which turns `/github/repos/..` into `/github/`; an
 * attacker's client does no such thing. `target` is a listening server or a base URL.
 */
export async function rawGet(
  target: Server | string,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const { host, port } = addressOf(target);
  const reply = await sendRequest({ host, port, path }, { headers });
  return { status: reply.status, headers: reply.headers, text: reply.body.toString('utf8') };
}

function addressOf(target: Server | string): { host: string; port: number } {
  if (typeof target === 'string') {
    const url = new URL(target);
    return { host: url.hostname, port: Number(url.port) };
  }
  const address = target.address() as AddressInfo | null;
  if (!address) {
    throw new Error('rawGet: the server is not listening');
  }
  return { host: '127.0.0.1', port: address.port };
}
