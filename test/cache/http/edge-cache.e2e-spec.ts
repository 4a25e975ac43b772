import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import request from 'supertest';
import { CacheStore } from '../../../src/cache/cache-store';
import { EdgeCache } from '../../../src/cache/http/edge-cache';
import { AccountEvent, AccountFreshData } from '../../../src/github/accounts/account-fresh-data';
import { ProfileService } from '../../../src/github/profiles/profile.service';
import { ClientUpstreamWindows } from '../../../src/throttling/upstream-budget/client-upstream-windows';
import { RepoListService } from '../../../src/github/repositories/repo-list.service';
import { Harness, startHarness } from '../../support/harness';
import { waitFor } from '../../support/wait-for';

const THROTTLE_LIMIT = 40;

type Serializers = Record<'req' | 'res', (value: object) => unknown>;
const TTL_SECONDS = 60;

/** The headers that must be the same whichever path answered (the rest are per request). */
const SHARED_HEADERS = [
  'content-type',
  'content-encoding',
  'etag',
  'link',
  'x-repos-complete',
  'vary',
  'cache-control',
  'content-security-policy',
  'x-ratelimit-limit',
];

/**
 * Cached routes answered before Nest's pipeline (EdgeCache): a URL whose answer is current is
 * answered from the `onRequest` hook — the route's service is not called — with the same bytes
 * and headers as the pipeline's answer, and everything the issue asks to keep for every request
 * (limits, ids, effects of a view) still applies. Anything that is not a current fresh answer goes
 * through the pipeline.
 */
describe(EdgeCache.name, () => {
  let h: Harness;
  let pageViews: jest.SpyInstance;
  let profileViews: jest.SpyInstance;
  const events: AccountEvent[] = [];

  beforeAll(async () => {
    h = await startHarness({
      env: {
        TRUST_PROXY: '1',
        THROTTLE_LIMIT: String(THROTTLE_LIMIT),
        THROTTLE_TTL_SECONDS: '60',
        CACHE_TTL_SECONDS: String(TTL_SECONDS),
        CORS_ORIGINS: 'https://dash.example.com',
      },
    });
    pageViews = jest.spyOn(h.app.get(RepoListService), 'viewPage');
    profileViews = jest.spyOn(h.app.get(ProfileService), 'view');
    h.app.get(AccountFreshData).subscribe((event) => events.push(event));
  });

  afterAll(async () => {
    await h?.close();
  });

  /** Each case gets its own client address (the throttle's key), so limits never carry over. */
  let client = 0;
  function get(url: string, headers: Record<string, string> = {}) {
    return request(h.server)
      .get(url)
      .set({ 'x-forwarded-for': `203.0.113.${client}`, ...headers });
  }
  beforeEach(() => {
    client++;
    pageViews.mockClear();
    profileViews.mockClear();
    events.length = 0;
  });

  it('should answer a repeated URL without calling its service, with the same bytes and headers', async () => {
    // Arrange
    h.gh.addUser('edge-same', 45);
    const first = await get('/github/repos/edge-same?perPage=10&page=2');

    // Act
    const second = await get('/github/repos/edge-same?perPage=10&page=2');

    // Assert
    expect(first.headers['x-cache']).toBe('MISS');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(pageViews).toHaveBeenCalledTimes(1);
    expect(second.text).toBe(first.text);
    for (const name of SHARED_HEADERS) {
      expect([name, second.headers[name]]).toEqual([name, first.headers[name]]);
    }
    expect(second.headers.link).toContain('/github/repos/edge-same?');
    expect(second.headers['x-request-id']).toEqual(expect.any(String));
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it('should keep URLs apart: another page of the same account goes through the pipeline', async () => {
    // Arrange
    h.gh.addUser('edge-pages', 45);
    await get('/github/repos/edge-pages?perPage=10&page=1');

    // Act
    const other = await get('/github/repos/edge-pages?perPage=10&page=3');

    // Assert
    expect(pageViews).toHaveBeenCalledTimes(2);
    expect(other.body.page).toBe(3);
  });

  it('should answer If-None-Match with an empty 304 and HEAD with the head alone, at the edge', async () => {
    // Arrange
    h.gh.addUser('edge-304', 3);
    const first = await get('/github/users/edge-304');
    profileViews.mockClear();

    // Act
    const notModified = await get('/github/users/edge-304', {
      'if-none-match': String(first.headers.etag),
    });
    const head = await request(h.server)
      .head('/github/users/edge-304')
      .set('x-forwarded-for', `203.0.113.${client}`);

    // Assert
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers['content-type']).toBeUndefined();
    expect(notModified.headers.etag).toBe(first.headers.etag);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(first.headers['content-length']);
    expect(head.headers['x-cache']).toBe('HIT');
    expect(profileViews).not.toHaveBeenCalled();
  });

  it('should count answers from the edge against the client limit, then leave the 429 to the guard', async () => {
    // Arrange
    h.gh.addUser('edge-throttle', 2);
    const first = await get('/github/users/edge-throttle');
    const remaining = Number(first.headers['x-ratelimit-remaining']);

    // Act
    const statuses: number[] = [];
    let lastRemaining = NaN;
    for (let i = 0; i < remaining + 1; i++) {
      const response = await get('/github/users/edge-throttle');
      statuses.push(response.status);
      if (response.status === 200) {
        lastRemaining = Number(response.headers['x-ratelimit-remaining']);
      }
    }
    const refused = await get('/github/users/edge-throttle');

    // Assert
    expect(first.headers['x-ratelimit-limit']).toBe(String(THROTTLE_LIMIT));
    expect(statuses.slice(0, remaining)).toEqual(Array(remaining).fill(200));
    expect(lastRemaining).toBe(0);
    expect(statuses[remaining]).toBe(429);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toEqual(expect.any(String));
    expect(refused.headers['content-type']).toContain('application/problem+json');
  });

  it('should publish a view on every answer, the edge ones too', async () => {
    // Arrange
    h.gh.addUser('edge-views', 3);
    await get('/github/repos/edge-views');
    events.length = 0;

    // Act
    await get('/github/repos/edge-views');
    await get('/github/repos/edge-views');

    // Assert
    expect(pageViews).toHaveBeenCalledTimes(1);
    expect(events.filter((event) => event.kind === 'viewed')).toEqual([
      { kind: 'viewed', owner: { kind: 'user', login: 'edge-views' } },
      { kind: 'viewed', owner: { kind: 'user', login: 'edge-views' } },
    ]);
  });

  it('should send no-cache through the pipeline to revalidate', async () => {
    // Arrange
    h.gh.addUser('edge-no-cache', 3);
    await get('/github/users/edge-no-cache');

    // Act
    const revalidated = await get('/github/users/edge-no-cache', { 'cache-control': 'no-cache' });

    // Assert
    expect(profileViews).toHaveBeenCalledTimes(2);
    expect(revalidated.headers['x-cache']).toBe('REVALIDATED');
  });

  it('should stop answering a URL once its cached result is dropped, and answer again once it is back', async () => {
    // Arrange
    h.gh.addUser('edge-dropped', 3);
    await get('/github/users/edge-dropped');
    await h.app.get(CacheStore).delete(['gh:profile:edge-dropped']);

    // Act
    const afterDrop = await get('/github/users/edge-dropped');
    const again = await get('/github/users/edge-dropped');

    // Assert
    expect(afterDrop.headers['x-cache']).not.toBe('HIT');
    expect(again.headers['x-cache']).toBe('HIT');
    expect(profileViews).toHaveBeenCalledTimes(2);
  });

  it('should answer stale data at the edge at once and refresh it in the background', async () => {
    // Arrange
    h.gh.addUser('edge-stale', 3);
    await get('/github/users/edge-stale');
    const store = h.app.get(CacheStore);
    const held = store.peek('gh:profile:edge-stale');
    const asked = h.gh.countRequests('/users/edge-stale');
    const charges = jest.spyOn(h.app.get(ClientUpstreamWindows), 'charge');
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + (TTL_SECONDS + 1) * 1000);

    // Act
    let stale: request.Response;
    try {
      stale = await get('/github/users/edge-stale');
    } finally {
      clock.mockRestore();
    }
    await waitFor('the background refresh', () => store.peek('gh:profile:edge-stale') !== held);
    const payers = charges.mock.calls.map(([client]) => client);
    charges.mockRestore();
    const refreshed = await get('/github/users/edge-stale');

    // Assert
    expect(stale.headers['x-cache']).toBe('STALE');
    expect(stale.headers['cache-control']).toMatch(/^public, max-age=0,/);
    expect(h.gh.countRequests('/users/edge-stale')).toBe(asked + 1);
    // The refresh is charged to the client who read the stale data, as in the pipeline.
    expect(payers).toEqual([`203.0.113.${client}`]);
    expect(refreshed.headers['x-cache']).toBe('HIT');
    // The stale answer came from the edge; the refreshed data went through the pipeline once.
    expect(profileViews).toHaveBeenCalledTimes(2);
  });

  it('should send a URL with an invalid query through the pipeline every time (a 400)', async () => {
    // Act
    const first = await get('/github/users/octocat?nope=1');
    const second = await get('/github/users/octocat?nope=1');

    // Assert
    expect([first.status, second.status]).toEqual([400, 400]);
  });

  it('should send the compressed variant a client asks for, as the pipeline did', async () => {
    // Arrange
    h.gh.addUser('edge-gzip', 40);
    const first = await get('/github/repos/edge-gzip', { 'accept-encoding': 'gzip' });

    // Act
    const again = await get('/github/repos/edge-gzip', { 'accept-encoding': 'gzip' });
    // supertest asks for gzip unless told otherwise.
    const identity = await get('/github/repos/edge-gzip', { 'accept-encoding': 'identity' });

    // Assert
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.headers['content-encoding']).toBe('gzip');
    expect(again.headers['content-length']).toBe(first.headers['content-length']);
    expect(again.text).toBe(first.text);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers['x-cache']).toBe('HIT');
    expect(pageViews).toHaveBeenCalledTimes(1);
  });

  it("should keep CORS's headers and its Vary: Origin on answers from the edge", async () => {
    // Arrange
    h.gh.addUser('edge-cors', 3);
    const origin = { origin: 'https://dash.example.com' };
    const first = await get('/github/users/edge-cors', origin);

    // Act
    const again = await get('/github/users/edge-cors', origin);

    // Assert
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.headers['access-control-allow-origin']).toBe('https://dash.example.com');
    expect(again.headers['access-control-expose-headers']).toBe(
      first.headers['access-control-expose-headers'],
    );
    expect(again.headers.vary).toBe(first.headers.vary);
    expect(again.headers.vary).toBe('Origin, Accept-Encoding');
  });

  it('should write the access log line of an answer from the edge as pino-http does', async () => {
    // Arrange
    h.gh.addUser('edge-log', 3);
    await get('/github/users/edge-log');
    const lines = jest.spyOn(PinoLogger.root, 'info');

    // Act
    let logged: unknown[][];
    try {
      await get('/github/users/edge-log', { 'x-request-id': 'edge-log-42' });
    } finally {
      logged = [...lines.mock.calls];
      lines.mockRestore();
    }

    // Assert
    expect(profileViews).toHaveBeenCalledTimes(1);
    const line = logged.find(([, message]) => message === 'request completed');
    const fields = line?.[0] as { req: object; res: object; responseTime: unknown };
    // What reaches the log is what pino-http's serializers make of the fields.
    const serializers = (PinoLogger.root as unknown as Record<symbol, Serializers>)[
      pino.symbols.serializersSym
    ];
    expect(serializers.req(fields.req)).toEqual({
      id: 'edge-log-42',
      method: 'GET',
      url: '/github/users/edge-log',
    });
    expect(serializers.res(fields.res)).toEqual({ statusCode: 200 });
    expect(fields.responseTime).toEqual(expect.any(Number));
  });
});
