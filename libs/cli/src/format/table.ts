/** A cell: text as is, null and undefined as '-'. */
export type Cell = string | number | null | undefined;

/** Formats rows under upper-case headers in columns two spaces apart, numbers right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string[] {
  const text = rows.map((row) => headers.map((_, at) => cellText(row[at])));
  const numeric = headers.map((_, at) => rows.some((row) => typeof row[at] === 'number') && rows.every((row) => typeof row[at] === 'number' || row[at] == null));
  const widths = headers.map((header, at) => Math.max(header.length, ...text.map((row) => (row[at] ?? '').length)));
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, at) => (numeric[at] ? cell.padStart(widths[at] ?? 0) : cell.padEnd(widths[at] ?? 0)))
      .join('  ')
      .trimEnd();
  return [render(headers.map((header) => header.toUpperCase())), ...text.map(render)];
}

/** Cuts text to `max` characters, ending in '…' when cut, and on one line. */
export function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** A count with thousands separators, as operators read them. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '-';
  return typeof cell === 'number' ? formatCount(cell) : cell;
}
