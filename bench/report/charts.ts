import type { BenchReport } from "../run.ts";
import { costCurve } from "../sections/cost.ts";
import { isSkipped } from "../sections/skipped.ts";
import { type BoxRow, boxPlotSvg, lineChartSvg, type Marker, PALETTE, type Series } from "./svg.ts";

/** The two charts next to the JSON: latency distributions, and cost against memory. */

export function latencyChart(report: BenchReport): string | undefined {
  const inference = report.inference;
  if (!inference || isSkipped(inference)) return undefined;
  const rows: BoxRow[] = [];
  inference.cases.forEach((entry, index) => {
    const color = PALETTE[index % PALETTE.length]!;
    rows.push({ label: `${entry.model} b=${entry.batch} handler`, ...entry.handlerLatency, color });
    rows.push({
      label: `${entry.model} b=${entry.batch} session.run`,
      ...entry.rawLatency,
      color: "#6b7280",
    });
  });
  return boxPlotSvg({
    title: "Latency per call: handler (event -> response) vs raw session.run",
    unit: "ms per call",
    rows,
  });
}

export function gatewayLatencyChart(report: BenchReport): string | undefined {
  const gateway = report.gateway;
  if (!gateway || isSkipped(gateway)) return undefined;
  const rows: BoxRow[] = [];
  gateway.cases.forEach((entry, index) => {
    const color = PALETTE[index % PALETTE.length]!;
    rows.push({ label: `${entry.connections} conn modelgate serve`, ...entry.gateway.latency, color });
    rows.push({ label: `${entry.connections} conn bare node:http`, ...entry.bare.latency, color: "#6b7280" });
  });
  return boxPlotSvg({
    title: `Latency per request over HTTP: modelgate serve vs a bare server (${gateway.model}, batch ${gateway.batch})`,
    unit: "ms per request",
    rows,
  });
}

export function costChart(report: BenchReport): string | undefined {
  const cost = report.cost;
  if (!cost || isSkipped(cost)) return undefined;
  const series: Series[] = [];
  const markers: Marker[] = [];
  // Batch 1 (one row per request) for every model, and batch 64 of the last (largest) model.
  const last = cost.cases.at(-1)?.model;
  const chosen = cost.cases.filter(
    (entry) => entry.batch === 1 || (entry.batch === 64 && entry.model === last),
  );
  chosen.forEach((entry, index) => {
    const color = PALETTE[index % PALETTE.length]!;
    for (const architecture of ["arm64", "x86_64"] as const) {
      const points = costCurve(entry.duration, architecture).map((point) => ({
        x: point.memoryMb,
        // Lambda only: API Gateway's $3.50 per million is the same at every memory size.
        y: point.total - cost.prices.apiGatewayRestPerMillion,
      }));
      series.push({
        name: `${entry.model} batch ${entry.batch}, ${architecture}`,
        points,
        color,
        dashed: architecture === "x86_64",
      });
    }
    const cheapest = entry.cheapest.arm64;
    markers.push({
      x: cheapest.memoryMb,
      y: cheapest.total - cost.prices.apiGatewayRestPerMillion,
      label: `${entry.model} b=${entry.batch}: cheapest ${cheapest.memoryMb} MB`,
      color,
    });
  });
  return lineChartSvg({
    title: `Lambda cost per million requests vs memory (${cost.prices.region} list prices, ${cost.prices.date})`,
    xLabel: "memory size, MB (API Gateway REST adds $3.50 per million at every size)",
    yLabel: "USD per million requests (Lambda)",
    series,
    markers,
  });
}
