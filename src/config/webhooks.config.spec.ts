import { webhooksConfig } from './webhooks.config';

describe('webhooksConfig', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('should be off without GITHUB_WEBHOOK_SECRET', () => {
    delete process.env.GITHUB_WEBHOOK_SECRET;

    expect(webhooksConfig()).toEqual(expect.objectContaining({ enabled: false, secrets: [] }));
  });

  it('should read a comma list of secrets, the current one first', () => {
    process.env.GITHUB_WEBHOOK_SECRET = 'new-secret,old-secret';

    expect(webhooksConfig()).toEqual(
      expect.objectContaining({ enabled: true, secrets: ['new-secret', 'old-secret'] }),
    );
  });

  it.each(['one,,two', 'one,', 'with space', ',one', 'x'.repeat(257)])(
    'should refuse %j naming the variable',
    (value) => {
      process.env.GITHUB_WEBHOOK_SECRET = value;

      expect(() => webhooksConfig()).toThrow(/^Invalid environment variable GITHUB_WEBHOOK_SECRET/);
    },
  );

  it('should refuse a retention under 7 days', () => {
    process.env.WEBHOOK_RETENTION_DAYS = '6';

    expect(() => webhooksConfig()).toThrow(/WEBHOOK_RETENTION_DAYS must be an integer from 7/);
  });
});
