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
});
