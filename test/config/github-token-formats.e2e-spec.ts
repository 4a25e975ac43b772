import request from 'supertest';
import { Harness, startHarness } from '../support/harness';

/** An installation token as GitHub issues them since 2026-04-27: ghs_<app id>_<JWT>, ~520 characters. */
const INSTALLATION_TOKEN = `ghs_4242_eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.${'eyJpc3MiOiI0MjQyIiwiZXhwIjoxfQ'.repeat(12)}.${'Zm9v-YmFy_YmF6'.repeat(12)}`;

/**
 * Tokens of every form GitHub issues today start the service and are sent as they are (issue 21):
 * the configuration once refused anything but letters, digits and underscores.
 */
describe('GITHUB_TOKEN in the forms GitHub issues today', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ token: INSTALLATION_TOKEN });
    h.gh.addUser('octocat', 2);
  });

  afterAll(async () => {
    await h.close();
  });

  it('should start with an installation token and send it to GitHub whole, as a Bearer token', async () => {
    // Act
    const response = await request(h.server).get('/github/repos/octocat');

    // Assert
    expect(INSTALLATION_TOKEN.length).toBeGreaterThan(500);
    expect(response.status).toBe(200);
    const sent = h.gh.requests.map((r) => r.headers.authorization);
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent)).toEqual(new Set([`Bearer ${INSTALLATION_TOKEN}`]));
    expect(response.text).not.toContain('ghs_4242');
  });
});
