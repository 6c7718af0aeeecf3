import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { Model, type ModelInfo } from "../src/inference/model.ts";
import { LIMITS, parseSpec } from "../src/spec/index.ts";
import { createProgress, type Progress } from "./lib/progress.ts";
import { type BenchModel, builtinModels, userModel } from "./models.ts";
import { type ArtifactResult, runArtifact } from "./sections/artifact.ts";
import { type ColdStartResult, runColdStart } from "./sections/cold-start.ts";
import { COST_ASSUMPTIONS, type CostResult, costCase, PRICES } from "./sections/cost.ts";
import { type GatewayResult, runGateway } from "./sections/gateway.ts";
import { type InferenceResult, runInference } from "./sections/inference.ts";
import { type MemoryResult, memoryFromColdStart } from "./sections/memory.ts";
import { isSkipped, type Skipped } from "./sections/skipped.ts";

/** Runs the sections in order and gathers one report; rendering and files are in ./report. */

export const SECTIONS = ["inference", "gateway", "cold-start", "artifact", "cost", "memory"] as const;
export type SectionName = (typeof SECTIONS)[number];

export const DEFAULT_RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));

export interface BenchOptions {
  /** A fast smoke run: fewer repeats, shorter blocks and load tests. */
  quick?: boolean;
  /** A user's model instead of the repository's iris + MLP. */
  modelPath?: string;
  modelName?: string;
  /** Function memory the figures are set against. @default the spec default (2048 MB) */
  memoryMb?: number;
  /** Intra-op threads for the measured runs. @default 1 (one vCPU, as the cost model assumes) */
  threads?: number;
  /** @default [1, 64, 1024] */
  batches?: number[];
  /** @default every section */
  sections?: SectionName[];
  progress?: Progress;
}

/** Repeats and time budgets: full runs fit in ~3 minutes on two shared cores. */
export interface Budget {
  repeats: number;
  blockMs: number;
  coldStartRepeats: number;
  loadSeconds: number;
  loadRepeats: number;
  connections: number[];
}

export function budgetFor(quick: boolean): Budget {
  return quick
    ? {
        repeats: 3,
        blockMs: 25,
        coldStartRepeats: 2,
        loadSeconds: 1,
        loadRepeats: 1,
        // 50 connections means 50 environments, each a cold start: too long for a smoke run.
        connections: [1, 10],
      }
    : {
        repeats: 7,
        blockMs: 150,
        coldStartRepeats: 5,
        loadSeconds: 3,
        loadRepeats: 2,
        connections: [1, 10, 50],
      };
}

export interface BenchReport {
  schema: 1;
  startedAt: string;
  durationSeconds: number;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; arch: string };
  memoryMb: number;
  threads: number;
  batches: number[];
  models: Array<{ name: string; description: string; path: string }>;
  inference?: InferenceResult | Skipped;
  gateway?: GatewayResult | Skipped;
  coldStart?: ColdStartResult | Skipped;
  artifact?: ArtifactResult | Skipped;
  cost?: CostResult | Skipped;
  memory?: MemoryResult | Skipped;
}

async function describeModels(models: BenchModel[]): Promise<Record<string, ModelInfo>> {
  const infos: Record<string, ModelInfo> = {};
  for (const model of models) {
    const loaded = await Model.load(model.path, { name: model.name, threads: 1 });
    infos[model.name] = loaded.info;
    await loaded.dispose();
  }
  return infos;
}

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const started = performance.now();
  const quick = options.quick ?? false;
  const budget = budgetFor(quick);
  const progress = options.progress ?? createProgress();
  const memoryMb = options.memoryMb ?? parseSpec().function.memoryMb;
  const threads = options.threads ?? 1;
  if (
    !Number.isInteger(memoryMb) ||
    memoryMb < LIMITS.lambdaMemoryMinMb ||
    memoryMb > LIMITS.lambdaMemoryMaxMb
  ) {
    throw new RangeError(
      `memory must be between ${LIMITS.lambdaMemoryMinMb} and ${LIMITS.lambdaMemoryMaxMb} MB, got ${memoryMb}`,
    );
  }
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const batches = options.batches ?? [1, 64, 1024];
  const sections = new Set(options.sections ?? SECTIONS);
  const models = options.modelPath ? [userModel(options.modelPath, options.modelName)] : builtinModels();
  const infos = await describeModels(models);
  const cpuList = cpus();
  const report: BenchReport = {
    schema: 1,
    startedAt: new Date().toISOString(),
    durationSeconds: 0,
    quick,
    machine: {
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? "unknown",
      node: process.version,
      platform: process.platform,
      arch: process.arch,
    },
    memoryMb,
    threads,
    batches,
    models: models.map(({ name, description, path }) => ({ name, description, path })),
  };
  progress.step(
    "start",
    `${models.map((m) => m.name).join(", ")}; memory ${memoryMb} MB, ${threads} thread(s)${quick ? ", quick" : ""}`,
  );

  // A section that fails is reported as skipped with its reason; the others still run.
  const attempt = async <T>(section: string, run: () => Promise<T>): Promise<T | Skipped> => {
    try {
      return await run();
    } catch (error) {
      const skipped = { skipped: `${section} failed: ${(error as Error).message}` };
      progress.step(section, skipped.skipped);
      return skipped;
    }
  };

  if (sections.has("inference")) {
    report.inference = await attempt("inference", () =>
      runInference({ models, batches, repeats: budget.repeats, blockMs: budget.blockMs, threads, progress }),
    );
  }
  if (sections.has("gateway")) {
    report.gateway = await attempt("gateway", () =>
      runGateway({ model: models[0]!, info: infos[models[0]!.name]!, budget, memoryMb, progress }),
    );
  }
  if (sections.has("cold-start") || sections.has("memory")) {
    const coldStart = await attempt("cold start", () =>
      runColdStart({
        models,
        inputs: Object.fromEntries(Object.entries(infos).map(([name, info]) => [name, info.inputs])),
        batches,
        repeats: budget.coldStartRepeats,
        memoryMb,
        threads,
        progress,
      }),
    );
    if (sections.has("cold-start")) report.coldStart = coldStart;
    if (sections.has("memory")) {
      report.memory = isSkipped(coldStart)
        ? { skipped: `memory needs the cold-start environments: ${coldStart.skipped}` }
        : memoryFromColdStart(coldStart, memoryMb, batches);
      for (const entry of isSkipped(report.memory) ? [] : report.memory.cases) {
        progress.step(
          "memory",
          `${entry.model}: peak RSS ${(entry.peakRssBytes.max / 2 ** 20).toFixed(0)} MB of ${memoryMb} MB (fits in ${entry.minimumMemoryMb} MB)`,
        );
      }
    }
  }
  if (sections.has("artifact")) {
    report.artifact = await attempt("artifact", () => runArtifact({ models, progress }));
  }
  if (sections.has("cost")) {
    report.cost = costSection(report, memoryMb, progress);
  }
  report.durationSeconds = Math.round((performance.now() - started) / 100) / 10;
  return report;
}

function costSection(report: BenchReport, memoryMb: number, progress: Progress): CostResult | Skipped {
  const inference = report.inference;
  if (!inference || isSkipped(inference)) return { skipped: "cost needs the inference section's durations" };
  const memory = report.memory && !isSkipped(report.memory) ? report.memory : undefined;
  const cases = inference.cases.map((entry) => {
    const peak = memory?.cases.find((m) => m.model === entry.model)?.peakRssBytes.max ?? 0;
    const handlerMs = Math.max(0, entry.handlerMs.median - entry.rawMs.median);
    return costCase(entry.model, entry.batch, { handlerMs, runMs: entry.rawMs.median }, memoryMb, peak);
  });
  for (const entry of cases.filter((c) => c.batch === 1)) {
    progress.step(
      "cost",
      `${entry.model} batch 1: $${entry.configured.arm64.total.toFixed(3)}/1M at ${memoryMb} MB arm64; cheapest $${entry.cheapest.arm64.total.toFixed(3)} at ${entry.cheapest.arm64.memoryMb} MB`,
    );
  }
  return { prices: PRICES, memoryMb, assumptions: COST_ASSUMPTIONS, cases };
}
