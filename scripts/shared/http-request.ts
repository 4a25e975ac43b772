import { Agent, IncomingHttpHeaders, IncomingMessage, request } from 'node:http';

/** An answer read to its end. */
export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** From sending the request to the end of the body. */
  ms: number;
}

/**
 * Where a request goes: a URL, or host, port and a path sent as it is. Node parses a URL string with
 * WHATWG `URL`, which rewrites the path (`/a/../b` becomes `/b`); a path given apart is not touched.
 */
export type RequestTarget = string | { host: string; port: number; path: string };

export interface RequestOptions {
  /** GET unless told. */
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** A connection of its own (false) unless told. */
  agent?: Agent | false;
  /** No deadline unless told. */
  timeoutMs?: number;
  /**
   * Declares a body of this many bytes (`Content-Length`) but sends only `body` and never ends the
   * request: for a server that must refuse a body from its declared size alone (413). Sending all
   * 25 MB raced the server's connection close: the write failed (EPIPE) before the answer was read.
   */
  declaredLength?: number;
}

/** One request with node:http, its answer read to the end. */
export function sendRequest(
  target: RequestTarget,
  options: RequestOptions = {},
): Promise<HttpReply> {
  const { timeoutMs } = options;
  const method = options.method ?? 'GET';
  const { declaredLength } = options;
  const settings = {
    method,
    agent: options.agent ?? false,
    headers:
      declaredLength === undefined
        ? options.headers
        : { ...options.headers, 'content-length': String(declaredLength) },
    timeout: timeoutMs,
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const onReply = (res: IncomingMessage): void => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          ms: performance.now() - started,
        });
        if (declaredLength !== undefined) {
          // The rest of the declared body will never come: the connection is of no further use.
          req.destroy();
        }
      });
      res.on('error', reject);
    };
    const req =
      typeof target === 'string'
        ? request(target, settings, onReply)
        : request({ ...target, ...settings }, onReply);
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${urlOf(target)} timed out after ${timeoutMs} ms`)),
    );
    // A server may answer before it has read the whole body (413 for one too large) and close the
    // connection: writing the rest then fails, but the answer is what was asked for.
    req.on('error', (error) => {
      if (!answered) {
        reject(error);
      }
    });
    if (declaredLength === undefined) {
      req.end(options.body);
    } else if (options.body !== undefined) {
      req.write(options.body);
    }
  });
}

function urlOf(target: RequestTarget): string {
  return typeof target === 'string' ? target : `http://${target.host}:${target.port}${target.path}`;
}
