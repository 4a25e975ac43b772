import request from 'supertest';
import { Harness, startHarness } from '../support/harness';

const LIMIT = 2;
const PATH = '/github/users/octocat';

/**
 * TRUST_PROXY decides who the client is, and so whose THROTTLE_LIMIT (and upstream budget) a
 * request spends. The test's connections come from 127.0.0.1, playing the ingress controller.
 */
describe('Client identity behind proxies (TRUST_PROXY)', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function boot(trustProxy: string | undefined): Promise<Harness> {
    h = await startHarness({
      env: { TRUST_PROXY: trustProxy, THROTTLE_LIMIT: String(LIMIT), THROTTLE_TTL_SECONDS: '60' },
    });
    h.gh.addUser('octocat', 1);
    return h;
  }

  /** The statuses of one request per X-Forwarded-For value, in order. */
  async function statuses(harness: Harness, forwardedFor: string[]): Promise<number[]> {
    const seen: number[] = [];
    for (const value of forwardedFor) {
      seen.push((await request(harness.server).get(PATH).set('X-Forwarded-For', value)).status);
    }
    return seen;
  }

  it('should believe no X-Forwarded-For when TRUST_PROXY is unset: every caller on one socket address is one client', async () => {
    const harness = await boot(undefined);

    const seen = await statuses(harness, ['198.51.100.1', '198.51.100.2', '198.51.100.3']);

    expect(seen).toEqual([200, 200, 429]);
  });

  it('should make each address the one trusted hop recorded its own client with TRUST_PROXY=1', async () => {
    const harness = await boot('1');

    const seen = await statuses(harness, [
      '198.51.100.1',
      '198.51.100.2',
      '198.51.100.3',
      '198.51.100.1',
      '198.51.100.1',
    ]);

    expect(seen).toEqual([200, 200, 200, 200, 429]);
  });

  it('should keep a client that forges entries in front of the trusted proxy one client', async () => {
    const harness = await boot('1');

    const seen = await statuses(harness, [
      '192.0.2.1, 198.51.100.9',
      '192.0.2.2, 198.51.100.9',
      '10.0.0.1, 192.0.2.3, 198.51.100.9',
    ]);

    expect(seen).toEqual([200, 200, 429]);
  });

  it('should walk back through every trusted address of a CIDR list to the first untrusted one', async () => {
    // 127.0.0.1 (the ingress) and 10.0.0.0/8 (a load balancer in front of it) are ours.
    const harness = await boot('127.0.0.1,10.0.0.0/8');

    const seen = await statuses(harness, [
      '192.0.2.50, 198.51.100.1, 10.1.2.3',
      '192.0.2.51, 198.51.100.2, 10.1.2.3',
      '192.0.2.52, 198.51.100.1, 10.9.9.9',
      '198.51.100.1',
    ]);

    expect(seen).toEqual([200, 200, 200, 429]);
  });

  it('should not trust a proxy outside the CIDR list: the socket address stays the client', async () => {
    const harness = await boot('10.0.0.0/8');

    const seen = await statuses(harness, ['198.51.100.1', '198.51.100.2', '198.51.100.3']);

    expect(seen).toEqual([200, 200, 429]);
  });
});
