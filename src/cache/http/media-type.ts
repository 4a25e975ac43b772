/** The media types a cached route can answer in: JSON always, CSV where the route renders it. */
export type AnswerMediaType = 'json' | 'csv';

/** Each media range of an `Accept` header with its weight (RFC 9110 §12.5.1). */
function mediaRanges(accept: string): { range: string; q: number }[] {
  return accept.split(',').map((part) => {
    const [range, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { range, q: Number.isFinite(weight) ? weight : 0 };
  });
}

/**
 * CSV only when the client names `text/csv` and weighs it above an explicit `application/json`;
 * wildcards, no header, or anything else get JSON (no 406: an unknown type still gets the default).
 */
export function negotiateMediaType(
  accept: string | undefined,
  csvAvailable: boolean,
): AnswerMediaType {
  if (!csvAvailable || !accept) {
    return 'json';
  }
  let csv = 0;
  let json = -1;
  for (const { range, q } of mediaRanges(accept)) {
    if (range === 'text/csv') {
      csv = Math.max(csv, q);
    } else if (range === 'application/json') {
      json = Math.max(json, q);
    }
  }
  return csv > 0 && csv > json ? 'csv' : 'json';
}
