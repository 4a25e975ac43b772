import request from 'supertest';
import { ProfilesController } from '../../../src/github/profiles/profiles.controller';
import { Harness, startHarness } from '../../support/harness';
import { expectedProfile } from '../../support/expected-dashboard';
import { fillProfile } from '../../support/fake-accounts';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe(ProfilesController.name, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    h.gh.addUser('dash-cat', 12);
    fillProfile(h.gh, 'dash-cat', {
      name: 'The Dash Cat',
      bio: 'Builds dashboards',
      company: '@dashworks',
      blog: 'https://dash.example.com',
      location: 'Lisbon',
      followers: 4321,
      following: 17,
      created_at: '2014-03-15T09:26:53Z',
    });
    h.gh.addUser('blank-cat', 3);
    h.gh.addOrg('dash-org', 4);
    h.gh.addUser('Case-Cat', 2);
    h.gh.addUser('cost-cat', 2);
    h.gh.addUser('fresh-cat', 2);
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  describe('GET /github/users/:username', () => {
    it('should map every field of a filled-in profile, plus fetchedAt', async () => {
      const startedAt = Date.now();

      const response = await request(h.server).get('/github/users/dash-cat');

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        login: 'dash-cat',
        name: 'The Dash Cat',
        avatarUrl: h.gh.profileOf('dash-cat').avatar_url,
        url: 'https://github.com/dash-cat',
        type: 'User',
        bio: 'Builds dashboards',
        company: '@dashworks',
        blog: 'https://dash.example.com',
        location: 'Lisbon',
        publicRepos: 12,
        followers: 4321,
        following: 17,
        createdAt: '2014-03-15T09:26:53Z',
        fetchedAt: expect.stringMatching(ISO_DATE_TIME),
      });
      const fetchedAt = Date.parse((response.body as { fetchedAt: string }).fetchedAt);
      expect(fetchedAt).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(fetchedAt).toBeLessThanOrEqual(Date.now());
    });

    it("should answer GitHub's blank fields (null, empty blog) as null", async () => {
      const response = await request(h.server).get('/github/users/blank-cat');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...expectedProfile(h.gh.profileOf('blank-cat')),
        fetchedAt: expect.stringMatching(ISO_DATE_TIME),
      });
      expect(response.body).toMatchObject({
        bio: null,
        company: null,
        blog: null,
        location: null,
        followers: 0,
        following: 0,
      });
    });

    it('should report an organisation with type Organization', async () => {
      const response = await request(h.server).get('/github/users/dash-org');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...expectedProfile(h.gh.profileOf('dash-org')),
        fetchedAt: expect.stringMatching(ISO_DATE_TIME),
      });
      expect(response.body).toMatchObject({
        login: 'dash-org',
        type: 'Organization',
        publicRepos: 4,
      });
    });

    it('should cost one upstream request, then none while cached', async () => {
      const first = await request(h.server).get('/github/users/cost-cat');
      const second = await request(h.server).get('/github/users/cost-cat');

      expect(first.status).toBe(200);
      expect(first.headers['x-cache']).toBe('MISS');
      expect(second.status).toBe(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.body).toEqual(first.body);
      expect(h.gh.requests.map((r) => r.path)).toEqual(['/users/cost-cat']);
    });

    it("should treat logins case-insensitively: one upstream request, GitHub's spelling in the body", async () => {
      const upper = await request(h.server).get('/github/users/CASE-CAT');
      const lower = await request(h.server).get('/github/users/case-cat');

      expect(upper.status).toBe(200);
      expect(upper.body).toMatchObject({ login: 'Case-Cat', url: 'https://github.com/Case-Cat' });
      expect(lower.body).toEqual(upper.body);
      expect(h.gh.requests.map((r) => r.path)).toEqual(['/users/case-cat']);
    });

    it('should revalidate with GitHub on Cache-Control: no-cache and move fetchedAt on', async () => {
      const first = await request(h.server).get('/github/users/fresh-cat');
      await new Promise((resolve) => setTimeout(resolve, 5));
      h.gh.reset();

      const second = await request(h.server)
        .get('/github/users/fresh-cat')
        .set('Cache-Control', 'no-cache');

      expect(second.status).toBe(200);
      expect(second.headers['x-cache']).toBe('REVALIDATED');
      const { fetchedAt: before, ...firstProfile } = first.body as { fetchedAt: string };
      const { fetchedAt: after, ...secondProfile } = second.body as { fetchedAt: string };
      expect(secondProfile).toEqual(firstProfile);
      expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
      expect(h.gh.requests).toEqual([
        expect.objectContaining({
          path: '/users/fresh-cat',
          status: 304,
          headers: expect.objectContaining({ 'if-none-match': expect.any(String) }),
        }),
      ]);
    });

    it('should answer 304 to a matching If-None-Match', async () => {
      const first = await request(h.server).get('/github/users/dash-org');

      const second = await request(h.server)
        .get('/github/users/dash-org')
        .set('If-None-Match', String(first.headers.etag));

      expect(first.headers.etag).toMatch(/^W\/"/);
      expect(second.status).toBe(304);
      expect(second.text ?? '').toBe('');
      expect(second.headers['content-type']).toBeUndefined();
    });
  });
});
