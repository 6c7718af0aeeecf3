import type { BenchReport } from "../run.ts";
import { isSkipped } from "../sections/skipped.ts";
import { mb, ms, ratio, ratioWithSpread, type Table, usd } from "./table.ts";

/** The short table a person reads at a glance: one row per figure, each against its baseline. */

export const SUMMARY_HEADERS = ["section", "case", "measured", "baseline", "ratio [IQR]", "target", "result"];

function lambdaCost(cost: { lambdaCompute: number; lambdaRequests: number }): number {
  return cost.lambdaCompute + cost.lambdaRequests;
}

function verdict(pass: boolean | undefined): string {
  return pass === undefined ? "-" : pass ? "PASS" : "FAIL";
}

/** Why a section did not run, one line each (printed under the table). */
export function skippedNotes(report: BenchReport): string[] {
  const serve = report.coldStart && !isSkipped(report.coldStart) ? report.coldStart.serve : undefined;
  return [
    report.inference,
    report.gateway,
    report.coldStart,
    serve,
    report.artifact,
    report.cost,
    report.memory,
  ]
    .filter(isSkipped)
    .map((section) => `skipped: ${section.skipped}`);
}

export function summaryTable(report: BenchReport): Table {
  const rows: string[][] = [];
  const skip = (_section: string, value: unknown) => isSkipped(value);

  if (report.inference && !skip("inference", report.inference)) {
    for (const entry of report.inference.cases) {
      rows.push([
        "inference",
        `${entry.model} batch ${entry.batch}`,
        `handler ${ms(entry.handlerMs.median)} (no log line ${ms(entry.quietHandlerMs.median)}, ${ratio(entry.quietRatio.median)})`,
        `session.run ${ms(entry.rawMs.median)}`,
        ratioWithSpread(entry.ratio),
        entry.target !== undefined ? `<= ${entry.target}x` : "-",
        verdict(entry.pass),
      ]);
    }
  }
  if (report.gateway && !skip("gateway", report.gateway)) {
    for (const entry of report.gateway.cases) {
      rows.push([
        "gateway",
        `${entry.connections} conn`,
        `${Math.round(entry.gateway.requestsPerSecond.median)} req/s, p50 ${ms(entry.gateway.p50Ms.median)}, p99 ${ms(entry.gateway.p99Ms.median)}`,
        `bare ${Math.round(entry.bare.requestsPerSecond.median)} req/s, p50 ${ms(entry.bare.p50Ms.median)}`,
        `${ratioWithSpread(entry.throughputRatio)}, p50 +${ms(entry.addedP50Ms.median)}`,
        ">= 0.5x, <= +1 ms",
        verdict(entry.pass),
      ]);
    }
  }
  if (report.coldStart && !skip("cold start", report.coldStart)) {
    for (const entry of report.coldStart.cases) {
      const h = entry.handler;
      rows.push([
        "cold start",
        entry.model,
        `${ms(h.totalMs.median)} = ${Math.round(h.processStartMs.median)} start + ${Math.round(h.moduleLoadMs.median)} modules + ${Math.round(h.sessionCreationMs.median)} session + ${Math.round(h.firstRunMs.median)} run`,
        `node -e + session ${ms(entry.baseline.totalMs.median)}`,
        `${ratioWithSpread(entry.ratio)}, +${ms(entry.addedMs.median)}`,
        `<= +${entry.targetMs} ms`,
        verdict(entry.pass),
      ]);
    }
  }
  const serve = report.coldStart && !isSkipped(report.coldStart) ? report.coldStart.serve : undefined;
  if (serve && !isSkipped(serve)) {
    rows.push([
      "cold start",
      `${serve.model} via modelgate serve`,
      `cold request ${ms(serve.firstRequestMs.median)} (Init Duration ${ms(serve.initDurationMs.median)})`,
      `node -e + session ${ms(serve.baselineMs.median)}`,
      `${ratioWithSpread(serve.ratio)}, +${ms(serve.addedMs.median)}`,
      `<= +${serve.targetMs} ms`,
      verdict(serve.pass),
    ]);
  }
  if (report.artifact && !skip("artifact", report.artifact)) {
    for (const entry of report.artifact.cases) {
      rows.push([
        "artifact",
        `${entry.model} ${entry.architecture}`,
        `zip ${mb(entry.zipBytes)}, unzipped ${mb(entry.unzippedBytes)}`,
        `limits ${mb(entry.zipLimitBytes)} / ${mb(entry.unzippedLimitBytes)}`,
        `${ratio(entry.zipBytes / entry.zipLimitBytes)} / ${ratio(entry.unzippedBytes / entry.unzippedLimitBytes)}`,
        "<= 1x",
        verdict(entry.pass),
      ]);
    }
  }
  if (report.cost && !skip("cost", report.cost)) {
    for (const entry of report.cost.cases.filter((c) => c.batch === 1)) {
      for (const architecture of ["arm64", "x86_64"] as const) {
        const configured = entry.configured[architecture];
        const cheapest = entry.cheapest[architecture];
        rows.push([
          "cost",
          `${entry.model} batch 1, ${architecture}`,
          `${usd(configured.total)}/1M at ${configured.memoryMb} MB`,
          `cheapest ${usd(cheapest.total)}/1M at ${cheapest.memoryMb} MB`,
          `${ratio(configured.total / cheapest.total)} total, ${ratio(lambdaCost(configured) / lambdaCost(cheapest))} Lambda`,
          "-",
          "-",
        ]);
      }
    }
  }
  if (report.memory && !skip("memory", report.memory)) {
    for (const entry of report.memory.cases) {
      rows.push([
        "memory",
        entry.model,
        `peak RSS ${mb(entry.peakRssBytes.max)}`,
        `configured ${entry.memoryMb} MB`,
        ratio(entry.ratio),
        "<= 1x",
        verdict(entry.pass),
      ]);
    }
  }
  return { headers: SUMMARY_HEADERS, rows };
}
