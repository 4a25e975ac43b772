import { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { RequestOptions, sendRequest } from '../shared/http-request';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** One request with node:http (a well-formed URL), with a deadline; a connection of its own by default. */
export async function get(url: string, options: RequestOptions = {}): Promise<Reply> {
  const reply = await sendRequest(url, { ...options, timeoutMs: options.timeoutMs ?? 15_000 });
  return { ...reply, body: reply.body.toString('utf8') };
}

export interface RawReply {
  /** 0 when the connection ended without a status line. */
  status: number;
  /** The header block exactly as received (status line included). */
  head: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  ms: number;
  /** Why no answer came, when `status` is 0. */
  error?: string;
}

/**
 * Sends exactly these bytes as the request line (fetch and node:http normalize or refuse odd
 * targets), with `Connection: close`, and reads the answer until the server closes.
 */
export function raw(
  port: number,
  request: {
    method: string;
    target: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
  },
): Promise<RawReply> {
  const timeoutMs = request.timeoutMs ?? 10_000;
  const started = performance.now();
  const lines = [`Host: 127.0.0.1:${port}`, 'User-Agent: reliability-suite', 'Connection: close'];
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    lines.push(`${name}: ${value}`);
  }
  if (request.body !== undefined) {
    lines.push(
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(request.body)}`,
    );
  }
  const bytes = Buffer.concat([
    Buffer.from(`${request.method} `, 'latin1'),
    Buffer.from(request.target, 'utf8'),
    Buffer.from(` HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${request.body ?? ''}`, 'utf8'),
  ]);
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) {
        return;
      }
      settled = true;
      socket.destroy();
      const reply = parse(Buffer.concat(chunks), request.method === 'HEAD');
      resolve({
        ...reply,
        ms: performance.now() - started,
        ...(reply.status === 0 ? { error: error ?? 'connection closed without an answer' } : {}),
      });
    };
    socket.setTimeout(timeoutMs, () => finish(`no answer within ${timeoutMs} ms`));
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (error) => finish(error.message));
  });
}

function parse(data: Buffer, isHead: boolean): Omit<RawReply, 'ms' | 'error'> {
  const split = data.indexOf('\r\n\r\n');
  const head = data.subarray(0, split < 0 ? data.length : split).toString('utf8');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
  }
  let body = split < 0 || isHead ? Buffer.alloc(0) : data.subarray(split + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    body = dechunk(body);
  }
  return { status: match ? Number(match[1]) : 0, head, headers, body: body.toString('utf8') };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (let guard = 0; guard < 100_000 && offset < body.length; guard++) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) {
      break;
    }
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) {
      break;
    }
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Parses a JSON body, or undefined when it is not JSON. */
export function json(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
