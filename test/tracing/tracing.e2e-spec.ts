import request from 'supertest';
import { tracingConfig } from '../../src/config/tracing.config';
import { tokenFingerprint } from '../../src/github/upstream/token-fingerprint';
import { isTracing } from '../../src/tracing/tracer';
import { startTracing, Tracing } from '../../src/tracing/tracing';
import { Harness, startHarness } from '../support/harness';
import { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver';
import { historyReady } from '../support/history-app';

const TOKEN = 'ghp_tracing0token0never0exported';
/** A caller's W3C trace context: the server span must join this trace, under this span. */
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`;
/** 250 repositories: three GitHub pages of 100. */
const REPOS = 250;
const SPAN_KIND = { internal: 1, server: 2, client: 3 };

/** The tracing config for these variables, read as the service reads its environment. */
function tracingConfigFor(env: Record<string, string>): ReturnType<typeof tracingConfig> {
  const saved = { ...process.env };
  try {
    Object.assign(process.env, env);
    return tracingConfig();
  } finally {
    process.env = saved;
  }
}

/**
 * pino writes to fd 1 through its own stream unless process.stdout.write has been replaced, in
 * which case it writes there: replaced before the app is created, it hands us every log line.
 */
function captureLogLines(): { lines: Record<string, unknown>[]; restore: () => void } {
  const lines: Record<string, unknown>[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  });
  return { lines, restore: () => spy.mockRestore() };
}

/** The span's ancestors within the trace, nearest first. */
function ancestorsOf(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const parent = spans.find((s) => s.spanId === span.parentSpanId);
  return parent ? [parent, ...ancestorsOf(parent, spans)] : [];
}

/** One traced (or untraced) app: its OTLP receiver, SDK, harness and, if asked, its log lines. */
interface TracedApp {
  receiver: OtlpReceiver;
  tracing: Tracing | undefined;
  h: Harness;
  logs?: ReturnType<typeof captureLogLines>;
  close(): Promise<void>;
}

/**
 * Starts a receiver, the SDK as the service would for `tracingEnv` (pointed at the receiver
 * unless `endpoint` is false), then the app with `appEnv` on top of the same variables.
 */
async function startTracedApp(options: {
  endpoint?: boolean;
  appEnv?: Record<string, string>;
  captureLogs?: boolean;
}): Promise<TracedApp> {
  const receiver = await OtlpReceiver.start();
  const env: Record<string, string> = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
  if (options.endpoint !== false) env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  const tracing = startTracing(tracingConfigFor(env), '9.9.9');
  const logs = options.captureLogs ? captureLogLines() : undefined;
  const h = await startHarness({ token: TOKEN, env: { ...env, ...options.appEnv } });
  return {
    receiver,
    tracing,
    h,
    logs,
    async close() {
      logs?.restore();
      await h.close();
      await tracing?.shutdown();
      await receiver.close();
    },
  };
}

/** The spans of the caller's trace, after one traced request and a flush. */
async function spansOfTracedRequest(traced: TracedApp, path: string): Promise<ReceivedSpan[]> {
  await request(traced.h.server).get(path).set('traceparent', TRACEPARENT).expect(200);
  await traced.tracing?.flush();
  return traced.receiver.spans.filter((span) => span.traceId === CALLER_TRACE_ID);
}

describe('tracing (OpenTelemetry over OTLP/HTTP)', () => {
  let traced: TracedApp;
  let receiver: OtlpReceiver;
  let h: Harness;
  let logs: ReturnType<typeof captureLogLines>;
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    traced = await startTracedApp({ appEnv: { LOG_LEVEL: 'debug' }, captureLogs: true });
    ({ receiver, h } = traced);
    logs = traced.logs!;
    h.gh.addUser('octocat', REPOS);
    spans = await spansOfTracedRequest(traced, '/github/repos/octocat');
  });

  afterAll(() => traced.close());

  it('should export over http/json with the service name and version', () => {
    expect(receiver.bodies.length).toBeGreaterThan(0);
    expect(receiver.bodies[0].contentType).toMatch(/^application\/json/);
    expect(receiver.resources[0]).toMatchObject({
      'service.name': 'github-dashboard-backend',
      'service.version': '9.9.9',
    });
  });

  it("should make one server span that joins the caller's trace under the caller's span", () => {
    const servers = spans.filter((span) => span.kind === SPAN_KIND.server);

    expect(servers).toEqual([
      expect.objectContaining({
        name: 'GET /github/repos/:username',
        traceId: CALLER_TRACE_ID,
        parentSpanId: CALLER_SPAN_ID,
        attributes: expect.objectContaining({
          'http.request.method': 'GET',
          'http.route': '/github/repos/:username',
          'url.path': '/github/repos/octocat',
          'http.response.status_code': 200,
        }),
      }),
    ]);
  });

  it('should make a client span per GitHub call, inside the request, with the templated route', () => {
    const server = spans.find((span) => span.kind === SPAN_KIND.server);
    const clients = spans.filter((span) => span.kind === SPAN_KIND.client);
    // The first page by login, the next ones by the links GitHub gives (`/user/:id/repos`).
    const pages = h.gh.countRequests('/users/octocat/repos') + h.gh.countRequests('/user/');
    const pageSpans = clients.filter((span) => /^GET \/users?\/:\w+\/repos$/.test(span.name));

    expect(pages).toBe(Math.ceil(REPOS / 100));
    expect(pageSpans).toHaveLength(pages);
    expect(clients).toHaveLength(h.gh.countRequests());
    for (const client of clients) {
      expect(ancestorsOf(client, spans)).toContainEqual(server);
      expect(client.attributes).toEqual(
        expect.objectContaining({
          'http.request.method': 'GET',
          'url.template': expect.stringMatching(/^\/[a-z_/:]+$/),
          'server.address': '127.0.0.1',
          'http.response.status_code': 200,
          'github.token.fingerprint': tokenFingerprint(TOKEN),
        }),
      );
      expect(client.name).toBe(`GET ${client.attributes['url.template']}`);
    }
  });

  it('should never export the token nor the Authorization header', () => {
    const exported = receiver.bodies.map((body) => body.text).join('\n');

    expect(exported).not.toContain(TOKEN);
    expect(exported.toLowerCase()).not.toContain('bearer');
    expect(exported.toLowerCase()).not.toContain('authorization');
  });

  it('should make a cache lookup span for the result, without the login', () => {
    const server = spans.find((span) => span.kind === SPAN_KIND.server);
    const lookups = spans.filter((span) => span.name === 'cache lookup');

    expect(lookups).toEqual([
      expect.objectContaining({
        kind: SPAN_KIND.internal,
        parentSpanId: server?.spanId,
        attributes: { 'cache.key.kind': 'gh:repos:user', 'cache.status': 'MISS' },
      }),
    ]);
    const pageSpans = spans.filter((span) =>
      span.attributes['url.template']?.toString().endsWith('/repos'),
    );
    expect(pageSpans).toHaveLength(Math.ceil(REPOS / 100));
    for (const page of pageSpans) {
      expect(ancestorsOf(page, spans)).toContainEqual(lookups[0]);
    }
  });

  it("should put the trace id on the request's log lines, and the client span's id on its GitHub line", () => {
    const ofTrace = logs.lines.filter((line) => line.trace_id === CALLER_TRACE_ID);
    const access = ofTrace.find((line) => line.msg === 'request completed');
    const githubLines = ofTrace.filter((line) => line.msg === 'GitHub request');
    const clientIds = spans.filter((s) => s.kind === SPAN_KIND.client).map((s) => s.spanId);

    expect(access).toMatchObject({ span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(githubLines).toHaveLength(clientIds.length);
    for (const line of githubLines) {
      expect(clientIds).toContain(line.span_id);
    }
  });

  it('should serve a cached answer in a new trace of its own, with a HIT lookup and no GitHub span', async () => {
    const before = h.gh.countRequests();

    const response = await request(h.server).get('/github/repos/octocat').expect(200);
    await traced.tracing?.flush();

    const server = receiver.spans.find(
      (span) =>
        span.kind === SPAN_KIND.server &&
        span.attributes['http.request.id'] === response.headers['x-request-id'],
    );
    expect(server?.traceId).not.toBe(CALLER_TRACE_ID);
    expect(server?.parentSpanId).toBeFalsy();
    const ofTrace = receiver.spans.filter((span) => span.traceId === server?.traceId);
    expect(ofTrace.map((span) => [span.name, span.attributes['cache.status']])).toEqual(
      expect.arrayContaining([['cache lookup', 'HIT']]),
    );
    expect(ofTrace.filter((span) => span.kind === SPAN_KIND.client)).toEqual([]);
    expect(h.gh.countRequests()).toBe(before);
  });
});

describe('tracing of the history database', () => {
  let traced: TracedApp;
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    // The embedded store in memory: the same SQL dialect and driver path as on disk.
    traced = await startTracedApp({ appEnv: { HISTORY_ENABLED: 'true', DATA_DIR: 'memory://' } });
    traced.h.gh.addUser('octocat', 3);
    await historyReady(traced.h.app);
    spans = await spansOfTracedRequest(traced, '/github/users/octocat/history');
  });

  afterAll(() => traced.close());

  it('should make a client span per history query inside the request, with its SQL and no values', () => {
    const server = spans.find((span) => span.kind === SPAN_KIND.server);
    const queries = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');

    // The watch list writes a view in a transaction: its BEGIN and COMMIT are spans too, with no
    // parameters to show.
    const control = /^(BEGIN|COMMIT|ROLLBACK) history$/;
    expect(server).toBeDefined();
    expect(queries.filter((query) => !control.test(query.name)).length).toBeGreaterThanOrEqual(2);
    for (const query of queries) {
      expect(query.kind).toBe(SPAN_KIND.client);
      expect(query.name).toMatch(
        /^(SELECT|INSERT|UPDATE|DELETE|WITH|BEGIN|COMMIT|ROLLBACK) history$/,
      );
      expect(ancestorsOf(query, spans)).toContainEqual(server);
      expect(query.attributes['db.client.name']).toBe('pglite');
      expect(String(query.attributes['db.query.text'])).toMatch(
        control.test(query.name) ? /^(begin|commit|rollback)$/i : /\$1/,
      );
      expect(JSON.stringify(query.attributes)).not.toContain('octocat');
    }
    expect(
      queries.some((query) => /account_snapshots/.test(String(query.attributes['db.query.text']))),
    ).toBe(true);
  });
});

describe('tracing off (no OTLP endpoint)', () => {
  let traced: TracedApp;

  beforeAll(async () => {
    // Everything but the endpoint: the protocol alone does not turn tracing on.
    traced = await startTracedApp({
      endpoint: false,
      appEnv: { LOG_LEVEL: 'debug' },
      captureLogs: true,
    });
    expect(traced.tracing).toBeUndefined();
    traced.h.gh.addUser('octocat', REPOS);
  });

  afterAll(() => traced.close());

  it('should start no SDK, export nothing and put no trace ids in the logs', async () => {
    await request(traced.h.server)
      .get('/github/repos/octocat')
      .set('traceparent', TRACEPARENT)
      .expect(200);

    expect(isTracing()).toBe(false);
    expect(traced.receiver.bodies).toEqual([]);
    expect(traced.logs!.lines.length).toBeGreaterThan(0);
    expect(traced.logs!.lines.filter((line) => 'trace_id' in line || 'span_id' in line)).toEqual(
      [],
    );
  });
});
