/**
 * The part of autocannon's programmatic API the benchmark and the reliability suite use (the
 * package ships no types and @types/autocannon is not a dependency).
 */
declare module 'autocannon' {
  interface AutocannonOptions {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    headers?: Record<string, string>;
    /** Requests built one by one, with a per-connection context. */
    requests?: {
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
      onResponse?: (
        status: number,
        body: string,
        context: Record<string, unknown>,
        headers: Record<string, string>,
      ) => void;
    }[];
  }

  interface Request {
    method: string;
    path: string;
    headers?: Record<string, string>;
  }

  interface Histogram {
    max: number;
    total: number;
    p50: number;
    p99: number;
  }

  interface AutocannonResult {
    /** Per-second samples of completed requests; `total` is every response. */
    requests: Histogram;
    /** Milliseconds per request. */
    latency: Histogram;
    /** Bytes per second. */
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    '5xx': number;
    /** Seconds actually run. */
    duration: number;
  }

  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  namespace autocannon {
    export type { AutocannonResult, Request };
  }
  export = autocannon;
}
