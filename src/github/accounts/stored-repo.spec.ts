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
    ['one whose full name does not end in its name', { fullName: 'octocat/renamed' }],
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

  describe('fromTuple', () => {
    const good = (): unknown[] => StoredRepo.from(repo(), new StringPool()).toTuple();
    const withField = (index: number, value: unknown): unknown[] => {
      const tuple = good();
      tuple[index] = value;
      return tuple;
    };

    it.each([
      ['a value that is not a list', { 0: 'octocat' }],
      ['a tuple one field short', good().slice(0, 13)],
      ['a tuple one field long', [...good(), null]],
      ['an owner that is not a string', withField(0, 1)],
      ['a name that is not a string', withField(1, null)],
      ['a description that is not a string or null', withField(2, 5)],
      ['a language that is not a string or null', withField(3, 5)],
      ['stars that are not an integer', withField(4, 1.5)],
      ['flags that are not an integer', withField(7, '1')],
      ['topics that are not a list', withField(8, 'api')],
      ['a topic that is not a string', withField(8, ['api', 7])],
      ['a push time that is not an integer', withField(11, null)],
      ['a URL prefix that is not a string', withField(12, null)],
      ['a full name that is not a string or null', withField(13, 5)],
    ])('should refuse %s', (_case, value) => {
      expect(() => StoredRepo.fromTuple(value, new StringPool())).toThrow(
        'not a stored repository',
      );
    });

    it('should accept nulls where the tuple allows them', () => {
      const tuple = withField(2, null);
      tuple[3] = null;
      tuple[13] = null;

      const back = StoredRepo.fromTuple(tuple, new StringPool());

      expect(back.description).toBeNull();
      expect(back.language).toBeNull();
      expect(back.fullName).toBe('octocat/Hello-World');
    });

    it('should read a push time of -1 as never pushed, and 1 as a time', () => {
      expect(StoredRepo.fromTuple(withField(11, -1), new StringPool()).pushedAt).toBeNull();
      expect(StoredRepo.fromTuple(withField(11, 1), new StringPool()).pushedAt).toBe(
        '1970-01-01T00:00:01Z',
      );
    });
  });

  it('should keep the shared URL prefix and no full name for an ordinary repository', () => {
    const tuple = StoredRepo.from(repo(), new StringPool()).toTuple();

    expect(tuple[12]).toBe('https://github.com/');
    expect(tuple[13]).toBeNull();
  });

  it('should share one empty topic list and pool no null language', () => {
    // Arrange
    const pool = new StringPool();
    const bare = repo({ language: null, topics: [] });

    // Act
    const a = StoredRepo.from(bare, pool);
    const b = StoredRepo.fromTuple(JSON.parse(JSON.stringify(a.toTuple())), pool);

    // Assert
    expect(b.topics).toBe(a.topics);
    const strings = (pool as unknown as { strings: Map<unknown, string> }).strings;
    expect(strings.has(null)).toBe(false);
  });

  it('should name at most 40 characters of a date it cannot read', () => {
    const createdAt = `not-a-date-${'x'.repeat(100)}`;

    expect(() => StoredRepo.from(repo({ createdAt }), new StringPool())).toThrow(
      new TypeError(`not a timestamp: ${createdAt.slice(0, 40)}`),
    );
  });

  it('should refuse a date that is not a timestamp, naming it', () => {
    expect(() => StoredRepo.from(repo({ createdAt: 'yesterday' }), new StringPool())).toThrow(
      'not a timestamp: yesterday',
    );
  });

  it('should store a repository never pushed to as -1', () => {
    expect(StoredRepo.from(repo({ pushedAt: null }), new StringPool()).toTuple()[11]).toBe(-1);
  });
});

describe(StringPool.name, () => {
  it('should hand back the first copy of an equal string', () => {
    const pool = new StringPool();
    const first = ['Type', 'Script'].join('');

    pool.intern(first);
    const second = pool.intern(['TypeS', 'cript'].join(''));

    expect(second).toBe(first);
  });

  it('should start afresh once full, keeping the new string', () => {
    // Arrange: room for two strings.
    const pool = new StringPool(2);
    pool.intern('a');
    pool.intern('b');

    // Act
    pool.intern('c');

    // Assert
    const strings = (pool as unknown as { strings: Map<string, string> }).strings;
    expect([...strings.keys()]).toEqual(['c']);
  });

  it('should keep up to its limit without clearing', () => {
    const pool = new StringPool(2);
    pool.intern('a');
    pool.intern('b');

    pool.intern('a');

    const strings = (pool as unknown as { strings: Map<string, string> }).strings;
    expect([...strings.keys()]).toEqual(['a', 'b']);
  });
});
