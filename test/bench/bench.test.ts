import { describe, expect, it } from "vitest";
import { mlpOnnx, parameterCount } from "../../bench/fixtures/mlp.ts";
import { summarize } from "../../bench/lib/stats.ts";
import { markdownReport } from "../../bench/report/markdown.ts";
import { summaryTable } from "../../bench/report/summary.ts";
import { boxPlotSvg, lineChartSvg } from "../../bench/report/svg.ts";
import { formatTable } from "../../bench/report/table.ts";
import type { BenchReport } from "../../bench/run.ts";
import {
  cheapestMemory,
  costCase,
  costPerMillion,
  durationAt,
  minimumMemoryMb,
  PRICES,
} from "../../bench/sections/cost.ts";

describe("bench cost model", () => {
  it("prices a known duration and memory exactly", () => {
    // Prepare: 100 ms at 1,024 MB is 0.1 GB-s per request, 100,000 GB-s per million.
    const cost = costPerMillion(100, 1024, "x86_64");
    // Assess
    expect(cost.billedMs).toBe(100);
    expect(cost.lambdaCompute).toBeCloseTo(100_000 * 0.0000166667, 9);
    expect(cost.lambdaRequests).toBe(0.2);
    expect(cost.apiGateway).toBe(3.5);
    expect(cost.total).toBeCloseTo(1.66667 + 0.2 + 3.5, 4);
    expect(costPerMillion(100, 1024, "arm64").lambdaCompute).toBeCloseTo(1.33334, 5);
  });

  it("bills whole milliseconds, at least one", () => {
    expect(costPerMillion(0.04, 128, "arm64").billedMs).toBe(1);
    expect(costPerMillion(2.01, 128, "arm64").billedMs).toBe(3);
  });

  it("scales CPU-bound work with the CPU share below one vCPU and only session.run above", () => {
    const model = { handlerMs: 2, runMs: 8, threads: undefined };
    expect(durationAt(model, 1769)).toBeCloseTo(10, 9);
    expect(durationAt(model, 1769 / 2)).toBeCloseTo(20, 9);
    // 3,538 MB: two vCPUs; handler work stays 2 ms, session.run halves to 4 ms.
    expect(durationAt(model, 3538)).toBeCloseTo(6, 9);
    // One thread never gains from more vCPUs.
    expect(durationAt({ ...model, threads: 1 }, 3538)).toBeCloseTo(10, 9);
  });

  it("finds the cheapest memory at or above the floor that fits the peak RSS", () => {
    const floor = minimumMemoryMb(200 * 1024 * 1024);
    expect(floor).toBe(220);
    expect(minimumMemoryMb(1024)).toBe(128);
    const cheapest = cheapestMemory({ handlerMs: 0.1, runMs: 0.05, threads: 1 }, floor, "arm64");
    // 0.15 ms at 1,769 MB stays within 1 billed ms from 266 MB up (0.15 x 1769 / 266 = 0.998):
    // the cheapest; 267-268 MB cost within 1% of it and run faster, so 268 MB.
    expect(cheapest.billedMs).toBe(1);
    expect(cheapest.memoryMb).toBe(268);
    const entry = costCase("m", 1, { handlerMs: 0.1, runMs: 0.05, threads: 1 }, 2048, 200 * 1024 * 1024);
    expect(entry.configured.arm64.total).toBeGreaterThan(entry.cheapest.arm64.total);
    expect(entry.ratio).toBeGreaterThan(1);
    expect(PRICES.date).toBe("2026-11");
  });
});

describe("bench fixtures and stats", () => {
  it("builds the MLP deterministically with about a million parameters", () => {
    expect(parameterCount()).toBe(1_058_058);
    expect(Buffer.from(mlpOnnx(42)).equals(Buffer.from(mlpOnnx(42)))).toBe(true);
    expect(Buffer.from(mlpOnnx(42)).equals(Buffer.from(mlpOnnx(43)))).toBe(false);
  });

  it("summarizes with median and quartiles", () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ n: 5, median: 3, p25: 2, p75: 4, min: 1, max: 5 });
  });
});

function sampleReport(): BenchReport {
  const s = (median: number) => ({
    n: 3,
    median,
    p25: median * 0.9,
    p75: median * 1.1,
    min: median * 0.8,
    max: median * 1.2,
  });
  const latency = { n: 10, p5: 0.04, p25: 0.05, p50: 0.06, p75: 0.07, p95: 0.09, p99: 0.1 };
  return {
    schema: 1,
    startedAt: "2026-11-27T00:00:00.000Z",
    durationSeconds: 1,
    quick: true,
    machine: { cpus: 2, cpuModel: "test", node: "v20", platform: "linux", arch: "x64" },
    memoryMb: 2048,
    threads: 1,
    batches: [1],
    models: [{ name: "iris", description: "iris", path: "models/iris.onnx" }],
    inference: {
      threads: 1,
      repeats: 3,
      cases: [
        {
          model: "iris",
          batch: 1,
          callsPerBlock: 10,
          requestBytes: 40,
          responseBytes: 90,
          handlerMs: s(0.12),
          rawMs: s(0.04),
          ratio: s(3),
          quietHandlerMs: s(0.07),
          quietRatio: s(1.75),
          target: 3,
          pass: true,
          breakdownMs: {
            readBody: 0.002,
            decode: 0.002,
            run: 0.03,
            encode: 0.002,
            stringify: 0.001,
            log: 0.02,
          },
          handlerLatency: { ...latency, p50: 0.12 },
          rawLatency: latency,
        },
      ],
    },
    gateway: { skipped: "gateway not available" },
    cost: {
      prices: PRICES,
      memoryMb: 2048,
      assumptions: ["test"],
      cases: [costCase("iris", 1, { handlerMs: 0.08, runMs: 0.04, threads: 1 }, 2048, 90 * 1024 * 1024)],
    },
  };
}

describe("bench report", () => {
  it("prints one row per figure with its target and result", () => {
    const table = summaryTable(sampleReport());
    const text = formatTable(table);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^section\s+case\s+measured\s+baseline\s+ratio \[IQR\]\s+target\s+result$/);
    expect(lines[1]).toMatch(/^-+ +-+/);
    const inference = table.rows.find((row) => row[0] === "inference")!;
    expect(inference).toEqual([
      "inference",
      "iris batch 1",
      "handler 0.120 ms (no log line 0.0700 ms, 1.75x)",
      "session.run 0.0400 ms",
      "3.00x [2.70-3.30]",
      "<= 3x",
      "PASS",
    ]);
    expect(table.rows.filter((row) => row[0] === "cost")).toHaveLength(2);
    const markdown = markdownReport(sampleReport(), { latency: "latency.svg" });
    expect(markdown).toContain("| section | case | measured |");
    expect(markdown).toContain("skipped: gateway not available");
    expect(markdown).toContain("![latency distribution](latency.svg)");
  });

  it("writes well-formed SVG charts with escaped labels", () => {
    const box = boxPlotSvg({
      title: "a < b & c",
      unit: "ms",
      rows: [{ label: "x", p5: 0.01, p25: 0.02, p50: 0.03, p75: 0.05, p95: 2 }],
    });
    expect(box.startsWith("<svg")).toBe(true);
    expect(box.trim().endsWith("</svg>")).toBe(true);
    expect(box).toContain("a &lt; b &amp; c");
    expect(box).not.toContain("NaN");
    const line = lineChartSvg({
      title: "cost",
      xLabel: "MB",
      yLabel: "$",
      series: [
        {
          name: "s",
          points: [
            { x: 128, y: 1 },
            { x: 10240, y: 3 },
          ],
        },
      ],
      markers: [{ x: 128, y: 1, label: "cheapest" }],
    });
    expect(line.match(/<path /g)).toHaveLength(1);
    expect(line).toContain("cheapest");
    expect(line).not.toContain("NaN");
  });
});
