/**
 * Hand-written SVG charts: a box plot of latency distributions (log scale) and a line chart
 * of cost against memory. No library: a few rects, lines and text, readable in any browser.
 */

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';
export const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"] as const;

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function num(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : "0";
}

/** 1-2-5 ticks of a log axis over [min, max]. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent++) {
    for (const mantissa of [1, 2, 5]) {
      const tick = mantissa * 10 ** exponent;
      if (tick >= min && tick <= max) ticks.push(tick);
    }
  }
  return ticks;
}

/** Round-number ticks of a linear axis over [min, max], about `count` of them. */
export function linearTicks(min: number, max: number, count = 5): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? raw;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
  }
  return ticks;
}

function tickLabel(value: number): string {
  if (value >= 1000) return `${value / 1000}k`;
  return String(Number(value.toPrecision(3)));
}

export interface BoxRow {
  label: string;
  /** p5, p25, p50, p75, p95 of the distribution. */
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  color?: string;
}

export interface BoxPlotOptions {
  title: string;
  unit: string;
  rows: BoxRow[];
  width?: number;
}

/** Horizontal box plots on a log axis: whiskers p5-p95, box p25-p75, bar at the median. */
export function boxPlotSvg({ title, unit, rows, width = 760 }: BoxPlotOptions): string {
  const left = 190;
  const right = 30;
  const top = 44;
  const rowHeight = 26;
  const height = top + rows.length * rowHeight + 46;
  const values = rows.flatMap((row) => [row.p5, row.p95]).filter((value) => value > 0);
  const min = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const max = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const x = (value: number) =>
    left +
    ((Math.log10(Math.max(value, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))) *
      (width - left - right);
  const axisY = top + rows.length * rowHeight + 6;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
  ];
  for (const tick of logTicks(min, max)) {
    parts.push(
      `<line x1="${num(x(tick))}" y1="${top - 6}" x2="${num(x(tick))}" y2="${axisY}" stroke="#e5e7eb"/>`,
      `<text x="${num(x(tick))}" y="${axisY + 16}" text-anchor="middle" fill="#374151">${tickLabel(tick)}</text>`,
    );
  }
  parts.push(
    `<line x1="${left}" y1="${axisY}" x2="${width - right}" y2="${axisY}" stroke="#6b7280"/>`,
    `<text x="${(left + width - right) / 2}" y="${axisY + 34}" text-anchor="middle" fill="#374151">${escapeXml(unit)} (log scale; whiskers p5-p95, box p25-p75, bar median)</text>`,
  );
  rows.forEach((row, index) => {
    const cy = top + index * rowHeight + rowHeight / 2;
    const color = row.color ?? PALETTE[index % PALETTE.length]!;
    parts.push(
      `<text x="${left - 10}" y="${num(cy + 4)}" text-anchor="end" fill="#111827">${escapeXml(row.label)}</text>`,
      `<line x1="${num(x(row.p5))}" y1="${num(cy)}" x2="${num(x(row.p95))}" y2="${num(cy)}" stroke="${color}" stroke-width="1.5"/>`,
      `<line x1="${num(x(row.p5))}" y1="${num(cy - 5)}" x2="${num(x(row.p5))}" y2="${num(cy + 5)}" stroke="${color}"/>`,
      `<line x1="${num(x(row.p95))}" y1="${num(cy - 5)}" x2="${num(x(row.p95))}" y2="${num(cy + 5)}" stroke="${color}"/>`,
      `<rect x="${num(x(row.p25))}" y="${num(cy - 8)}" width="${num(Math.max(1, x(row.p75) - x(row.p25)))}" height="16" fill="${color}" fill-opacity="0.25" stroke="${color}"/>`,
      `<line x1="${num(x(row.p50))}" y1="${num(cy - 8)}" x2="${num(x(row.p50))}" y2="${num(cy + 8)}" stroke="${color}" stroke-width="2.5"/>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

export interface Series {
  name: string;
  points: Array<{ x: number; y: number }>;
  color?: string;
  dashed?: boolean;
}

export interface Marker {
  x: number;
  y: number;
  label: string;
  color?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  markers?: Marker[];
  width?: number;
  height?: number;
}

/** Lines on linear axes with a legend and labelled point markers. */
export function lineChartSvg({
  title,
  xLabel,
  yLabel,
  series,
  markers = [],
  width = 760,
  height = 420,
}: LineChartOptions): string {
  const left = 70;
  const right = 20;
  const top = 44;
  const bottom = 60 + series.length * 16;
  const all = series.flatMap((line) => line.points);
  const xMin = Math.min(...all.map((point) => point.x));
  const xMax = Math.max(...all.map((point) => point.x));
  const yMax = Math.max(...all.map((point) => point.y)) * 1.05;
  const yMin = 0;
  const plotBottom = height - bottom;
  const x = (value: number) => left + ((value - xMin) / (xMax - xMin || 1)) * (width - left - right);
  const y = (value: number) => plotBottom - ((value - yMin) / (yMax - yMin || 1)) * (plotBottom - top);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
  ];
  for (const tick of linearTicks(yMin, yMax)) {
    parts.push(
      `<line x1="${left}" y1="${num(y(tick))}" x2="${width - right}" y2="${num(y(tick))}" stroke="#e5e7eb"/>`,
      `<text x="${left - 6}" y="${num(y(tick) + 4)}" text-anchor="end" fill="#374151">${tickLabel(tick)}</text>`,
    );
  }
  for (const tick of linearTicks(xMin, xMax, 8)) {
    parts.push(
      `<line x1="${num(x(tick))}" y1="${plotBottom}" x2="${num(x(tick))}" y2="${plotBottom + 5}" stroke="#6b7280"/>`,
      `<text x="${num(x(tick))}" y="${plotBottom + 18}" text-anchor="middle" fill="#374151">${tickLabel(tick)}</text>`,
    );
  }
  parts.push(
    `<line x1="${left}" y1="${plotBottom}" x2="${width - right}" y2="${plotBottom}" stroke="#6b7280"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${plotBottom}" stroke="#6b7280"/>`,
    `<text x="${(left + width - right) / 2}" y="${plotBottom + 36}" text-anchor="middle" fill="#374151">${escapeXml(xLabel)}</text>`,
    `<text x="16" y="${(top + plotBottom) / 2}" text-anchor="middle" fill="#374151" transform="rotate(-90 16 ${(top + plotBottom) / 2})">${escapeXml(yLabel)}</text>`,
  );
  series.forEach((line, index) => {
    const color = line.color ?? PALETTE[index % PALETTE.length]!;
    const path = line.points
      .map((point, i) => `${i === 0 ? "M" : "L"}${num(x(point.x))},${num(y(point.y))}`)
      .join(" ");
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : "";
    parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    const legendY = plotBottom + 52 + index * 16;
    parts.push(
      `<line x1="${left}" y1="${legendY - 4}" x2="${left + 24}" y2="${legendY - 4}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${left + 30}" y="${legendY}" fill="#111827">${escapeXml(line.name)}</text>`,
    );
  });
  markers.forEach((marker, index) => {
    const color = marker.color ?? "#111827";
    // Labels stack upwards so that markers at the same spot stay readable.
    const labelY = y(marker.y) - 8 - index * 15;
    parts.push(
      `<circle cx="${num(x(marker.x))}" cy="${num(y(marker.y))}" r="4" fill="${color}"/>`,
      `<line x1="${num(x(marker.x))}" y1="${num(y(marker.y))}" x2="${num(x(marker.x) + 10)}" y2="${num(labelY + 4)}" stroke="${color}" stroke-width="0.75"/>`,
      `<text x="${num(x(marker.x) + 12)}" y="${num(labelY + 4)}" fill="${color}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(marker.label)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
