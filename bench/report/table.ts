/** Plain-text and Markdown tables: the same rows, two renderings. */

export interface Table {
  headers: string[];
  rows: string[][];
}

function widths(table: Table): number[] {
  return table.headers.map((header, column) =>
    Math.max(header.length, ...table.rows.map((row) => (row[column] ?? "").length)),
  );
}

/** Columns padded to their widest cell, two spaces apart, a rule under the header. */
export function formatTable(table: Table): string {
  const sizes = widths(table);
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(sizes[column]!))
      .join("  ")
      .trimEnd();
  return [line(table.headers), line(sizes.map((size) => "-".repeat(size))), ...table.rows.map(line)].join(
    "\n",
  );
}

function escapeCell(cell: string): string {
  return cell.replace(/\|/g, "\\|");
}

export function markdownTable(table: Table): string {
  const row = (cells: string[]) => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [row(table.headers), row(table.headers.map(() => "---")), ...table.rows.map(row)].join("\n");
}

/** `12.3 ms`, `0.045 ms`, `1.20 s`: three significant digits. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (value >= 1000) return `${(value / 1000).toPrecision(3)} s`;
  return `${value.toPrecision(3)} ms`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : "n/a";
}

/** Median with the interquartile range: `3.31x [3.10-3.52]`. */
export function ratioWithSpread(summary: { median: number; p25: number; p75: number }): string {
  return `${ratio(summary.median)} [${summary.p25.toFixed(2)}-${summary.p75.toFixed(2)}]`;
}

export function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function usd(value: number): string {
  return `$${value.toFixed(value < 10 ? 3 : 2)}`;
}
