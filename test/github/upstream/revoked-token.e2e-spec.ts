import request from 'supertest';
import { ReposController } from '../../../src/github/repositories/repos.controller';
import { Harness, startHarness } from '../../support/harness';

const TOKEN = 'ghp_e2eRevokedSecretToken012345';

/** A token GitHub stops accepting (401) is dropped for good, so this file has an app of its own. */
describe(ReposController.name, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ token: TOKEN });
    h.gh.addUser('first-account', 3);
    h.gh.addUser('second-account', 3);
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  describe('GET /github/repos/:username when GitHub rejects the only token', () => {
    it('should carry on without a token rather than fail', async () => {
      h.gh.failNext({ mode: 'bad-credentials' });

      const response = await request(h.server).get('/github/repos/first-account');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 3 });
      expect(h.gh.requests.map((r) => [r.status, r.headers.authorization])).toEqual([
        [401, `Bearer ${TOKEN}`],
        [200, undefined],
      ]);
    });

    it('should not send the rejected token again', async () => {
      h.gh.failNext({ mode: 'bad-credentials' });
      await request(h.server).get('/github/repos/first-account?perPage=1');
      h.gh.reset();

      const response = await request(h.server).get('/github/repos/second-account');

      expect(response.status).toBe(200);
      expect(h.gh.requests.length).toBeGreaterThan(0);
      expect(h.gh.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    });
  });
});
