import { Repo } from './repo.model';
import { StoredRepo, StringPool } from './stored-repo';

function repo(overrides: Partial<Repo> = {}): Repo {
  return {
    name: 'Hello-World',
    fullName: 'octocat/Hello-World',
    description: 'My first repository',
    language: 'TypeScript',
    stars: 80,
    forks: 9,
    url: 'https://github.com/octocat/Hello-World',
    fork: false,
    archived: false,
    topics: ['api', 'octocat'],
    openIssues: 3,
    createdAt: '2011-01-26T19:01:12Z',
    updatedAt: '2011-01-26T19:14:43Z',
    pushedAt: '2011-01-26T19:06:43Z',
    ...overrides,
  };
}

describe(StoredRepo.name, () => {
  it.each([
    ['a plain repository', {}],
    ['a fork', { fork: true }],
    ['an archived fork', { fork: true, archived: true }],
    ['one never pushed to', { pushedAt: null }],
    [
      'one without description, language or topics',
      { description: null, language: null, topics: [] },
    ],
    ['one on GitHub Enterprise', { url: 'https://ghe.example.com/octocat/Hello-World' }],
    ['one whose page is not under its full name', { url: 'https://example.com/elsewhere' }],
    ['one whose full name is not owner/name', { fullName: 'someone-else/Hello-World' }],
  ])('should read back exactly as given: %s', (_label, overrides: Partial<Repo>) => {
    const original = repo(overrides);

    const stored = StoredRepo.from(original, new StringPool());

    expect(stored.toJSON()).toEqual(original);
    // Read through the Repo interface too, as listings and summaries do.
    expect(stored.fullName).toBe(original.fullName);
    expect(stored.url).toBe(original.url);
    expect(stored.fork).toBe(original.fork);
    expect(stored.archived).toBe(original.archived);
    expect(stored.pushedAt).toBe(original.pushedAt);
  });

  it('should serialize as the API shape, not its compact fields', () => {
    const stored = StoredRepo.from(repo(), new StringPool());
    expect(JSON.parse(JSON.stringify(stored))).toEqual(repo());
  });

  it('should survive the round trip through its tuple form (what Redis holds)', () => {
    const pool = new StringPool();
    const stored = StoredRepo.from(repo({ pushedAt: null, fork: true }), pool);

    const revived = StoredRepo.fromTuple(JSON.parse(JSON.stringify(stored.toTuple())), pool);

    expect(revived.toJSON()).toEqual(stored.toJSON());
  });

  it.each([
    ['not an array', { name: 'x' }],
    ['too short', ['octocat', 'x']],
    [
      'a count that is not an integer',
      ['o', 'n', null, null, '1', 0, 0, 0, [], 0, 0, 0, 'u', null],
    ],
  ])('should refuse a tuple that is %s', (_label, value) => {
    expect(() => StoredRepo.fromTuple(value, new StringPool())).toThrow(TypeError);
  });

  it('should refuse a date it cannot read rather than store nonsense', () => {
    expect(() => StoredRepo.from(repo({ createdAt: 'yesterday' }), new StringPool())).toThrow(
      TypeError,
    );
  });

  it('should share repeated strings through the pool', () => {
    const pool = new StringPool();
    const a = StoredRepo.from(
      repo({ name: 'a', fullName: 'octocat/a', url: 'https://github.com/octocat/a' }),
      pool,
    );
    const b = StoredRepo.from(
      repo({ name: 'b', fullName: 'octocat/b', url: 'https://github.com/octocat/b' }),
      pool,
    );
    expect(a.toTuple()[0]).toBe(b.toTuple()[0]);
    expect(a.toTuple()[8][0]).toBe(b.toTuple()[8][0]);
  });
});

describe(StringPool.name, () => {
  it('should stay bounded however many distinct strings it sees', () => {
    const pool = new StringPool(10);
    for (let i = 0; i < 1000; i++) {
      pool.intern(`topic-${i}`);
    }
    expect((pool as unknown as { strings: Map<string, string> }).strings.size).toBeLessThanOrEqual(
      10,
    );
  });
});
