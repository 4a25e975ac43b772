type Cell = string | number | boolean | null | undefined;

/** A CSV field: quoted only when it must be (RFC 4180). */
function field(value: Cell): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row of `columns`, then one CRLF-terminated line per row (RFC 4180). */
export function historyCsv<Row extends { [K in keyof Row]: Cell }>(
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
): string {
  const lines = [columns.join(',')];
  for (const row of rows) {
    lines.push(columns.map((column) => field(row[column])).join(','));
  }
  return lines.map((line) => `${line}\r\n`).join('');
}
