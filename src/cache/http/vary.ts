/** Fastify's reply and Express's response both have these. */
export interface HeaderWriter {
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}

/**
 * Adds `field` to `Vary` without dropping what is there: CORS, when configured, has already put
 * `Origin` in it, and setting the header would replace that.
 */
export function addVary(reply: HeaderWriter, field: string): void {
  const merged = varyWith(reply.getHeader('vary'), field);
  if (merged !== undefined) {
    reply.header('vary', merged);
  }
}

/**
 * `Vary` with `field` added to `current` (a header value as Node or Fastify hold it), or
 * undefined when `current` lists the field or `*` already.
 */
export function varyWith(current: unknown, field: string): string | undefined {
  const value = Array.isArray(current)
    ? current.join(', ')
    : typeof current === 'string'
      ? current
      : '';
  const listed = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (listed.includes('*') || listed.includes(field.toLowerCase())) {
    return undefined;
  }
  return listed.length > 0 ? `${value}, ${field}` : field;
}
