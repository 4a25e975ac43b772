/** The content codings cached answers are sent in. */
export type ContentCoding = 'br' | 'gzip' | 'identity';

/** What we can compress to, best first: at the same weight Brotli wins, it is smaller. */
const OFFERED = ['br', 'gzip'] as const;

/**
 * Picks the coding of an answer from `Accept-Encoding`, following RFC 9110 §12.5.3: `q` weights
 * (`q=0` = not acceptable), `*` standing for every coding not named, `x-gzip` as `gzip`, and
 * identity acceptable unless excluded (`identity;q=0`, or `*;q=0` without an `identity` entry).
 *
 * - No header: identity. RFC 9110 allows any coding then, but a client that says nothing may be a
 *   script that cannot decode one.
 * - An empty header, or nothing we offer acceptable: identity.
 * - Identity excluded and nothing we offer acceptable either: identity all the same. RFC 9110
 *   §12.1 lets a server disregard the field rather than answer 406, and no client is better
 *   served by an error than by plain JSON.
 * - Identity named with a weight above every coding we offer: identity.
 */
export function negotiateContentCoding(
  acceptEncoding: string | string[] | undefined,
): ContentCoding {
  if (acceptEncoding === undefined) {
    return 'identity';
  }
  const weights = parseWeights([acceptEncoding].flat().join(','));
  const star = weights.get('*');
  const weightOf = (coding: string): number =>
    weights.get(coding) ?? (coding === 'gzip' ? weights.get('x-gzip') : undefined) ?? star ?? 0;

  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of OFFERED) {
    const weight = weightOf(coding);
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  // Identity not named (nor `*`) is acceptable but ranks below every coding the client did name.
  const identityWeight = weights.get('identity') ?? star ?? 0;
  return identityWeight > bestWeight ? 'identity' : best;
}

/** `gzip;q=0.8, br` → gzip 0.8, br 1. An entry whose `q` is not a qvalue is ignored. */
function parseWeights(field: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const entry of field.split(',')) {
    const [name = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (name === '' || weights.has(name)) {
      continue;
    }
    const q = params.find((param) => /^q\s*=/.test(param));
    const weight = q === undefined ? 1 : qvalue(q.slice(q.indexOf('=') + 1).trim());
    if (weight !== undefined) {
      weights.set(name, weight);
    }
  }
  return weights;
}

/** RFC 9110 §12.4.2: `0`, `0.5`, `1.000`; at most three decimals, never above 1. */
function qvalue(text: string): number | undefined {
  return /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(text) ? Number(text) : undefined;
}
