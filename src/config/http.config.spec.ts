import { isolateConfigEnvironment } from '../../test/support/config-environment';
import { httpConfig } from './http.config';
import { InvalidEnvironmentError } from './validate-env';

describe('httpConfig', () => {
  isolateConfigEnvironment();

  it('should share throttling counts every 250 ms when THROTTLE_SYNC_MS is not set', () => {
    expect(httpConfig().throttleSyncMs).toBe(250);
  });

  it('should read THROTTLE_SYNC_MS', () => {
    process.env.THROTTLE_SYNC_MS = '100';

    expect(httpConfig().throttleSyncMs).toBe(100);
  });

  it.each(['0', '9', '10001', '1.5', 'fast'])(
    'should refuse THROTTLE_SYNC_MS=%s, naming the variable and its range',
    (value) => {
      process.env.THROTTLE_SYNC_MS = value;

      expect(() => httpConfig()).toThrow(InvalidEnvironmentError);
      expect(() => httpConfig()).toThrow(
        'Invalid environment variable THROTTLE_SYNC_MS: THROTTLE_SYNC_MS must be an integer from 10 to 10000',
      );
    },
  );

  describe('TRUST_PROXY', () => {
    it('should believe no X-Forwarded-For when unset, false or 0', () => {
      expect(httpConfig().trustProxy).toBe(false);
      process.env.TRUST_PROXY = 'false';
      expect(httpConfig().trustProxy).toBe(false);
      process.env.TRUST_PROXY = '0';
      expect(httpConfig().trustProxy).toBe(false);
    });

    it('should trust exactly the last N hops for a hop count', () => {
      process.env.TRUST_PROXY = '2';
      const trust = httpConfig().trustProxy;

      expect(typeof trust).toBe('function');
      const hops = trust as (address: string, hop: number) => boolean;
      expect([0, 1, 2].map((hop) => hops('10.0.0.1', hop))).toEqual([true, true, false]);
    });

    it('should read a comma list of addresses, CIDRs and named ranges', () => {
      process.env.TRUST_PROXY = '10.0.0.0/8, 127.0.0.1,fd00::/8,loopback';

      expect(httpConfig().trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8', 'loopback']);
    });

    it.each([
      'true',
      '11',
      '10.0.0.0/33',
      'fd00::/129',
      'proxy.local',
      '10.0.0.1/8/8',
      '10.0.0.1,',
    ])('should refuse TRUST_PROXY=%s, naming the variable', (value) => {
      process.env.TRUST_PROXY = value;

      expect(() => httpConfig()).toThrow(
        'Invalid environment variable TRUST_PROXY: TRUST_PROXY must be a hop count from 0 to 10',
      );
    });
  });

  it('should give each client 100 GitHub requests per 600 s unless told otherwise', () => {
    expect(httpConfig()).toMatchObject({
      clientUpstreamLimit: 100,
      clientUpstreamWindowSeconds: 600,
    });
    process.env.CLIENT_UPSTREAM_LIMIT = '30';
    process.env.CLIENT_UPSTREAM_WINDOW_S = '60';
    expect(httpConfig()).toMatchObject({
      clientUpstreamLimit: 30,
      clientUpstreamWindowSeconds: 60,
    });
  });

  it.each([
    ['CLIENT_UPSTREAM_LIMIT', '0', 'CLIENT_UPSTREAM_LIMIT must be an integer from 1 to 100000'],
    [
      'CLIENT_UPSTREAM_WINDOW_S',
      '86401',
      'CLIENT_UPSTREAM_WINDOW_S must be an integer from 1 to 86400',
    ],
  ])('should refuse %s=%s with its range', (name, value, message) => {
    process.env[name] = value;

    expect(() => httpConfig()).toThrow(`Invalid environment variable ${name}: ${message}`);
  });
});
