/** A supertest response or a raw one: all the assertions need. */
export interface ResponseLike {
  status: number;
  headers: Record<string, unknown>;
  text: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { parameter: string; message: string }[];
  retryAfter?: number;
}

/** What an error body must never carry: stack frames, internal addresses, source paths. */
const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\bat \S+ \(|\bat (async )?\S+:\d+:\d+/],
  ['an internal address', /127\.0\.0\.1|localhost|::1|\b10\.\d+\.\d+\.\d+/],
  ['a source path', /node_modules|\/src\/|\.ts:\d+/],
];

/**
 * Asserts an RFC 9457 problem document with the given status and returns its body. Checks the
 * content type, the five members, and that nothing internal (or `secrets`, e.g. the token) leaks.
 */
export function expectProblem(
  response: ResponseLike,
  status: number,
  secrets: string[] = [],
): ProblemBody {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.text) as ProblemBody;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/\S/),
      title: expect.stringMatching(/\S/),
      status,
      detail: expect.stringMatching(/\S/),
      instance: expect.stringMatching(/^\//),
    }),
  );
  const text = response.text + JSON.stringify(response.headers);
  for (const [what, pattern] of LEAKS) {
    expect({ leak: what, found: pattern.exec(response.text)?.[0] }).toEqual({
      leak: what,
      found: undefined,
    });
  }
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
  }
  return body;
}
