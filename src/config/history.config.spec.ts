import { isolateConfigEnvironment } from '../../test/support/config-environment';
import { historyConfig } from './history.config';
import { InvalidEnvironmentError } from './validate-env';

function failureOf(load: () => unknown): Error {
  try {
    load();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('historyConfig', () => {
  isolateConfigEnvironment();

  it('should cap the watch list at 2,000 and give the refresher half the spare budget by default', () => {
    // Act
    const config = historyConfig();

    // Assert
    expect(config.maxWatched).toBe(2000);
    expect(config.refreshShare).toBe(0.5);
  });

  it.each([
    ['0.25', 0.25],
    ['.1', 0.1],
    ['1', 1],
    [' 0.75 ', 0.75],
  ])('should read HISTORY_REFRESH_SHARE=%p as %p', (value, expected) => {
    // Arrange
    process.env.HISTORY_REFRESH_SHARE = value;

    // Act
    const config = historyConfig();

    // Assert
    expect(config.refreshShare).toBe(expected);
  });

  it.each(['0', '0.0', '1.5', '-0.5', 'half', '50%', '1e-1'])(
    'should refuse HISTORY_REFRESH_SHARE=%p with a message naming it',
    (value) => {
      // Arrange
      process.env.HISTORY_REFRESH_SHARE = value;

      // Act
      const error = failureOf(() => historyConfig());

      // Assert
      expect(error).toBeInstanceOf(InvalidEnvironmentError);
      expect(error.message).toBe(
        'Invalid environment variable HISTORY_REFRESH_SHARE: HISTORY_REFRESH_SHARE must be a decimal greater than 0 and at most 1, such as 0.5',
      );
    },
  );

  it('should read HISTORY_MAX_WATCHED', () => {
    // Arrange
    process.env.HISTORY_MAX_WATCHED = '50';

    // Act
    const config = historyConfig();

    // Assert
    expect(config.maxWatched).toBe(50);
  });

  it.each(['0', '-1', '1000001', '2k'])('should refuse HISTORY_MAX_WATCHED=%p', (value) => {
    // Arrange
    process.env.HISTORY_MAX_WATCHED = value;

    // Act
    const error = failureOf(() => historyConfig());

    // Assert
    expect(error.message).toMatch(
      /^Invalid environment variable HISTORY_MAX_WATCHED: HISTORY_MAX_WATCHED must be an integer from 1 to 1000000$/,
    );
  });
});
