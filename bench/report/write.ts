import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchReport } from "../run.ts";
import { costChart, gatewayLatencyChart, latencyChart } from "./charts.ts";
import { markdownReport } from "./markdown.ts";

export interface WrittenFiles {
  json: string;
  markdown: string;
  charts: string[];
}

/** bench.json, bench.md, latency.svg, gateway-latency.svg and cost-memory.svg in `dir` (overwritten each run). */
export function writeResults(report: BenchReport, dir: string): WrittenFiles {
  mkdirSync(dir, { recursive: true });
  const charts: string[] = [];
  const names: { latency?: string; gateway?: string; cost?: string } = {};
  const latency = latencyChart(report);
  if (latency) {
    names.latency = "latency.svg";
    charts.push(join(dir, names.latency));
    writeFileSync(join(dir, names.latency), latency);
  }
  const gateway = gatewayLatencyChart(report);
  if (gateway) {
    names.gateway = "gateway-latency.svg";
    charts.push(join(dir, names.gateway));
    writeFileSync(join(dir, names.gateway), gateway);
  }
  const cost = costChart(report);
  if (cost) {
    names.cost = "cost-memory.svg";
    charts.push(join(dir, names.cost));
    writeFileSync(join(dir, names.cost), cost);
  }
  const json = join(dir, "bench.json");
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  const markdown = join(dir, "bench.md");
  writeFileSync(markdown, markdownReport(report, names));
  return { json, markdown, charts };
}
