import { GithubResponse } from './github-client.service';
import { githubNotModified, githubOk } from '../../../test/support/github-responses';
import { conditionalRequestFor, HeldPage, PageData, revalidatedPage } from './page-revalidation';

interface Held extends HeldPage {
  names: string[];
}

const HELD: Held = {
  names: ['held'],
  links: { next: 'https://api.github.com/x?page=2', last: 'https://api.github.com/x?page=3' },
  etag: '"v1"',
  lastModified: 'Mon',
  tokenFingerprint: 'tok_a',
};

/** A changed page, from another token than the held page's. */
function ok(body: unknown, extra: Partial<GithubResponse> = {}): GithubResponse {
  return githubOk(body, { etag: '"v2"', tokenFingerprint: 'tok_b', ...extra });
}

function notModified(extra: Partial<GithubResponse> = {}): GithubResponse {
  return githubNotModified({ lastModified: 'Mon', ...extra });
}

/** Strict readers: each records its calls, so a test sees which side the data came from. */
function readers() {
  const fresh = jest.fn((body: unknown) => (body as { name: string }[]).map((r) => r.name));
  const kept = jest.fn((held: Held) => held.names);
  const data: PageData<Held, string[]> = { fresh, kept };
  return { data, fresh, kept };
}

describe('page revalidation', () => {
  describe(conditionalRequestFor.name, () => {
    it('should send no validators for a page we do not hold', () => {
      expect(conditionalRequestFor(undefined)).toEqual({
        etag: undefined,
        lastModified: undefined,
        tokenFingerprint: undefined,
      });
    });

    it("should send a held page's validators with the token that got them", () => {
      expect(conditionalRequestFor(HELD)).toEqual({
        etag: '"v1"',
        lastModified: 'Mon',
        tokenFingerprint: 'tok_a',
      });
    });
  });

  describe(revalidatedPage.name, () => {
    it('should read a page we did not hold from the body, with the answer’s links and validators', () => {
      // Arrange
      const { data, kept } = readers();
      const links = { next: 'https://api.github.com/x?page=2' };

      // Act
      const page = revalidatedPage(
        ok([{ name: 'a' }], { links, lastModified: 'Tue' }),
        undefined,
        data,
      );

      // Assert
      expect(page).toEqual({
        data: ['a'],
        links,
        etag: '"v2"',
        lastModified: 'Tue',
        tokenFingerprint: 'tok_b',
        notModified: false,
      });
      expect(kept).not.toHaveBeenCalled();
    });

    it('should keep the held data, links and answer’s validators on a 304', () => {
      // Arrange
      const { data, fresh } = readers();

      // Act
      const page = revalidatedPage(notModified({ etag: '"v1-b"' }), HELD, data);

      // Assert
      expect(page).toEqual({
        data: ['held'],
        links: HELD.links,
        etag: '"v1-b"',
        lastModified: 'Mon',
        tokenFingerprint: 'tok_a',
        notModified: true,
      });
      expect(fresh).not.toHaveBeenCalled();
    });

    it('should prefer a Link header sent with a 304 over the held links', () => {
      const { data } = readers();
      const links = {
        next: 'https://api.github.com/x?page=2',
        last: 'https://api.github.com/x?page=4',
      };

      const page = revalidatedPage(notModified({ links }), HELD, data);

      expect(page).toMatchObject({ data: ['held'], links, notModified: true });
    });

    it('should read a changed page afresh, dropping the held links when GitHub sends none', () => {
      const { data, kept } = readers();

      const page = revalidatedPage(ok([{ name: 'b' }]), HELD, data);

      expect(page).toEqual({
        data: ['b'],
        links: {},
        etag: '"v2"',
        lastModified: undefined,
        tokenFingerprint: 'tok_b',
        notModified: false,
      });
      expect(kept).not.toHaveBeenCalled();
    });

    it('should read the body of a 304 for a page we did not hold, never count it as unchanged', () => {
      const { data, fresh } = readers();

      const page = revalidatedPage(notModified({ body: [] }), undefined, data);

      expect(page).toMatchObject({ data: [], notModified: false });
      expect(fresh).toHaveBeenCalledWith([]);
    });

    it('should let an error reading the body through', () => {
      const data: PageData<Held, string[]> = {
        fresh: () => {
          throw new Error('not a list');
        },
        kept: (held) => held.names,
      };

      expect(() => revalidatedPage(ok({}), HELD, data)).toThrow('not a list');
    });
  });
});
