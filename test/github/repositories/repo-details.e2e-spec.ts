import request from 'supertest';
import { ReposController } from '../../../src/github/repositories/repos.controller';
import { GithubRepoJson } from '../../fake-github';
import { toApiRepo } from '../../support/expected-repos';
import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';
import { ApiLanguageBytes, expectedLanguageBytes } from '../../support/expected-dashboard';
import { languagesServedByFake, renamedRepo } from '../../support/fake-accounts';

const OWNER = 'detail-owner';

interface RepoDetailsBody {
  defaultBranch: string;
  license: { spdxId: string | null; name: string } | null;
  homepage: string | null;
  languages: ApiLanguageBytes[];
  fetchedAt: string;
}

/** The repository route's answer, from the fake's own JSON and `/languages` bytes. */
function expectedDetails(repo: GithubRepoJson, bytes: Record<string, number>) {
  return {
    ...toApiRepo(repo),
    defaultBranch: repo.default_branch,
    license:
      repo.license === null
        ? null
        : {
            spdxId: repo.license.spdx_id === 'NOASSERTION' ? null : repo.license.spdx_id,
            name: repo.license.name,
          },
    homepage: repo.homepage === '' ? null : repo.homepage,
    languages: expectedLanguageBytes(bytes),
    fetchedAt: expect.any(String),
  };
}

describe(ReposController.name, () => {
  let h: Harness;
  let repos: GithubRepoJson[];
  const find = (predicate: (repo: GithubRepoJson) => boolean): GithubRepoJson => {
    const repo = repos.find(predicate);
    if (!repo) {
      throw new Error('The generated data has no repository for this case');
    }
    return repo;
  };

  beforeAll(async () => {
    h = await startHarness();
    const generated = h.gh.addUser(OWNER, 60);
    const template = generated[0];
    repos = h.gh.addUser(OWNER, [
      ...generated,
      renamedRepo(template, 'odd-license', {
        language: 'Go',
        license: { key: 'other', name: 'Other', spdx_id: 'NOASSERTION' },
      }),
      renamedRepo(template, 'blank-homepage', { homepage: '' }),
      renamedRepo(template, 'trunk-based', { default_branch: 'trunk', language: 'Rust' }),
      renamedRepo(template, 'only-shell', { language: 'Shell' }),
      renamedRepo(template, 'x'.repeat(100)),
      renamedRepo(template, '.github'),
      renamedRepo(template, 'dots.and_under-scores'),
      renamedRepo(template, 'Cost-Probe', { language: 'Python' }),
      renamedRepo(template, 'Mixed-Case', { language: 'Go' }),
    ]);
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  describe('GET /github/repos/:owner/:repo', () => {
    it.each<[string, (repo: GithubRepoJson) => boolean]>([
      [
        'two languages, a license and a homepage',
        (r) =>
          r.language !== null &&
          r.language !== 'Shell' &&
          r.license !== null &&
          r.homepage !== null,
      ],
      ['no language (no code)', (r) => r.language === null],
      ['no license', (r) => r.license === null],
      ['a fork', (r) => r.fork],
      ['an archived repository', (r) => r.archived],
      ['a repository never pushed to', (r) => r.pushed_at === null],
      ['a license GitHub could not identify (NOASSERTION)', (r) => r.name === 'odd-license'],
      ['an empty homepage', (r) => r.name === 'blank-homepage'],
      ['a default branch other than main', (r) => r.name === 'trunk-based'],
      ['a single language', (r) => r.name === 'only-shell'],
    ])('should answer a repository with %s in our shape', async (_what, predicate) => {
      const repo = find(predicate);
      const bytes = await languagesServedByFake(h.gh, OWNER, repo.name);

      const response = await request(h.server).get(`/github/repos/${OWNER}/${repo.name}`);

      expect(response.status).toBe(200);
      expect(response.body).toEqual(expectedDetails(repo, bytes));
    });

    it('should give language shares of the bytes that sum to 1, largest first', async () => {
      const repo = find((r) => r.language === 'TypeScript');

      const response = await request(h.server).get(`/github/repos/${OWNER}/${repo.name}`);

      const { languages } = response.body as RepoDetailsBody;
      expect(languages.map((l) => l.language)).toEqual(['TypeScript', 'Shell']);
      expect(languages[0].bytes).toBeGreaterThan(languages[1].bytes);
      expect(languages.reduce((sum, l) => sum + l.share, 0)).toBeCloseTo(1, 12);
      for (const language of languages) {
        expect(language.share).toBeCloseTo(
          language.bytes / (languages[0].bytes + languages[1].bytes),
          12,
        );
      }
    });

    it('should answer spdxId null and keep the name for a NOASSERTION license', async () => {
      const response = await request(h.server).get(`/github/repos/${OWNER}/odd-license`);

      expect((response.body as RepoDetailsBody).license).toEqual({ spdxId: null, name: 'Other' });
    });

    it('should answer an empty language list and a null license and homepage when GitHub has none', async () => {
      const repo = find((r) => r.language === null && r.license === null && r.homepage === null);

      const response = await request(h.server).get(`/github/repos/${OWNER}/${repo.name}`);

      expect(response.body).toMatchObject({
        language: null,
        languages: [],
        license: null,
        homepage: null,
      });
    });

    it.each(['x'.repeat(100), '.github', 'dots.and_under-scores'])(
      'should accept the repository name %s',
      async (name) => {
        const response = await request(h.server).get(`/github/repos/${OWNER}/${name}`);

        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ name, fullName: `${OWNER}/${name}` });
      },
    );

    it('should cost two upstream requests (repository and languages), then none while cached', async () => {
      const repo = find((r) => r.name === 'Cost-Probe');

      const first = await request(h.server).get(`/github/repos/${OWNER}/${repo.name}`);
      const second = await request(h.server).get(`/github/repos/${OWNER}/${repo.name}`);

      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.body).toEqual(first.body);
      expect(h.gh.requests.map((r) => r.path).sort()).toEqual(
        [`/repos/${OWNER}/${repo.name}`, `/repos/${OWNER}/${repo.name}/languages`].map((p) =>
          p.toLowerCase(),
        ),
      );
    });

    it('should treat owner and repository names case-insensitively', async () => {
      const repo = find((r) => r.name === 'Mixed-Case');

      const response = await request(h.server).get(
        `/github/repos/${OWNER.toUpperCase()}/${repo.name.toUpperCase()}`,
      );

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: repo.name, fullName: repo.full_name });
    });

    it('should map an unknown repository of a known owner to a 404 problem', async () => {
      const response = await request(h.server).get(`/github/repos/${OWNER}/no-such-repo`);

      const problem = expectProblem(response, 404);
      expect(problem.instance).toBe(`/github/repos/${OWNER}/no-such-repo`);
    });

    it('should map a repository of an unknown owner to a 404 problem', async () => {
      const response = await request(h.server).get('/github/repos/no-such-owner/anything');

      expectProblem(response, 404);
    });
  });
});
