import { addVary, HeaderWriter } from './vary';

function replyWith(vary: string | string[] | undefined): HeaderWriter & { vary: unknown } {
  const reply = {
    vary: vary as unknown,
    getHeader: (name: string) => (name === 'vary' ? reply.vary : undefined),
    header: (name: string, value: string) => {
      expect(name).toBe('vary');
      reply.vary = value;
    },
  };
  return reply;
}

describe(addVary.name, () => {
  it.each([
    [undefined, 'Accept-Encoding'],
    ['Origin', 'Origin, Accept-Encoding'],
    [['Origin', 'Cookie'], 'Origin, Cookie, Accept-Encoding'],
    ['origin, accept-encoding', 'origin, accept-encoding'],
    ['*', '*'],
  ])('should turn Vary %j into %j', (before, after) => {
    const reply = replyWith(before);

    addVary(reply, 'Accept-Encoding');

    expect([reply.vary].flat().join(', ')).toBe(after);
  });
});
