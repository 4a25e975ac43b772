/**
 * Plain text for the terminal, shared by the benchmark and the reliability suite: no colours, so the
 * output pastes into a README as is.
 */

export type Cell = string | number;
/** A column: its header, and how a row fills it. */
export type Column<T> = [string, (row: T) => Cell];

export function table(title: string, header: Cell[], rows: Cell[][]): string {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const numeric = header.map((_, i) =>
    rows.every(
      (row) =>
        row[i] === undefined ||
        typeof row[i] === 'number' ||
        /^[\d.,%x×≤≥ -]+$/.test(String(row[i])),
    ),
  );
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (numeric[i] && i > 0 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [title, line(all[0]), rule, ...all.slice(1).map(line)].join('\n');
}

/** `{ "200": 190, "304": 10 }` as `200×190 304×10`; `none` when empty. */
export function counts(record: Record<string, number>, none = '-'): string {
  const entries = Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? none : entries.map(([key, n]) => `${key}×${n}`).join(' ');
}

export function thousands(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function verdict(ok: boolean | undefined): string {
  return ok === undefined ? 'n/a' : ok ? 'ok' : 'MISSED';
}
