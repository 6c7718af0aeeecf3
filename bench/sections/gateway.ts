import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import type { ModelInfo } from "../../src/inference/model.ts";
import { vcpusForMemory } from "../../src/spec/limits.ts";
import { benchBundles, PACKAGE_ROOT } from "../lib/bundle.ts";
import { freePort, type ServerChild, startChild, waitFor } from "../lib/children.ts";
import { requestBody, syntheticInputs } from "../lib/inputs.ts";
import type { Progress } from "../lib/progress.ts";
import {
  type Distribution,
  distribution,
  quantile,
  roundSummary,
  type Summary,
  summarize,
} from "../lib/stats.ts";
import type { BenchModel } from "../models.ts";
import type { Budget } from "../run.ts";
import type { Skipped } from "./skipped.ts";

/**
 * Section 2, gateway overhead: autocannon on 127.0.0.1 against `modelgate serve` (the local API
 * Gateway in front of Lambda execution environments, as a user starts it) and against a bare
 * node:http server calling the same handler in process. Both run in their own process; the
 * load generator runs here. Repeats alternate which target goes first.
 */

export interface LoadFigures {
  requestsPerSecond: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  /** Non-2xx responses, errors and timeouts, summed over repeats. */
  failures: number;
  /** Per-response latency over all repeats, ms. */
  latency: Distribution;
}

export interface GatewayCase {
  connections: number;
  bare: LoadFigures;
  gateway: LoadFigures;
  /** gateway req/s / bare req/s, per repeat. */
  throughputRatio: Summary;
  /** gateway p50 - bare p50, per repeat. */
  addedP50Ms: Summary;
  pass: boolean;
}

export interface GatewayResult {
  model: string;
  batch: number;
  seconds: number;
  repeats: number;
  /** Reserved concurrency given to `modelgate serve`: one environment per connection, no throttling. */
  concurrency: number;
  /** Intra-op threads of both servers (serve derives it from the memory size). */
  threads: number;
  /** Init Duration from the runtime's REPORT lines (every cold start during the run). */
  runtimeInitDurationMs?: Summary;
  /** Max Memory Used from the runtime's REPORT lines, MB. */
  runtimeMaxMemoryUsedMb?: number;
  cases: GatewayCase[];
}

export interface GatewayOptions {
  model: BenchModel;
  info: ModelInfo;
  budget: Budget;
  memoryMb: number;
  progress: Progress;
}

/** The issue's targets: at least half the bare throughput, at most 1 ms added at the median. */
export const GATEWAY_TARGETS = { minThroughputRatio: 0.5, maxAddedP50Ms: 1 } as const;

const MARKER = "MODELGATE_BENCH ";

interface Target {
  url: string;
  server: ServerChild;
}

async function startBare(model: BenchModel, threads: number, memoryMb: number): Promise<Target> {
  const bundles = await benchBundles();
  const listeners: Array<(line: string) => void> = [];
  const server = startChild([bundles.bareServer], {
    cwd: PACKAGE_ROOT,
    env: {
      ...process.env,
      MODELGATE_BENCH_HANDLER: pathToFileURL(bundles.handler).href,
      MODELGATE_MODEL_PATH: model.path,
      MODELGATE_MODEL_NAME: model.name,
      MODELGATE_THREADS: String(threads),
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    },
    onLine: (line) => {
      for (const listener of listeners) listener(line);
    },
  });
  const port = await waitFor(
    (listener) => listeners.push(listener),
    (line) =>
      line.startsWith(MARKER) ? (JSON.parse(line.slice(MARKER.length)) as { port: number }).port : undefined,
    30_000,
    "bare server",
  ).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  return { url: `http://127.0.0.1:${port}/model`, server };
}

export interface ServeTarget extends Target {
  initDurations: number[];
  /** Environments that have answered at least once (from REPORT lines). */
  environments: Set<string>;
  maxMemoryUsedMb: number;
}

export async function startServe(
  model: BenchModel,
  memoryMb: number,
  concurrency: number,
): Promise<ServeTarget> {
  const port = await freePort();
  const listeners: Array<(line: string) => void> = [];
  const target = { initDurations: [] as number[], environments: new Set<string>(), maxMemoryUsedMb: 0 };
  const server = startChild(
    [
      join(PACKAGE_ROOT, "bin", "modelgate.mjs"),
      "serve",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--model",
      model.path,
      "--memory",
      String(memoryMb),
      "--concurrency",
      String(concurrency),
    ],
    {
      cwd: PACKAGE_ROOT,
      env: process.env,
      onLine: (line) => {
        // Every request logs START, END, REPORT and an access record: read only REPORT lines.
        if (line.includes('"platform.report"')) {
          const record = JSON.parse(line) as {
            environment?: string;
            initDurationMs?: number;
            maxMemoryUsedMb?: number;
          };
          if (record.environment) target.environments.add(record.environment);
          if (record.initDurationMs !== undefined) target.initDurations.push(record.initDurationMs);
          target.maxMemoryUsedMb = Math.max(target.maxMemoryUsedMb, record.maxMemoryUsedMb ?? 0);
        }
        for (const listener of listeners) listener(line);
      },
    },
  );
  await waitFor(
    (listener) => listeners.push(listener),
    (line) => (line.includes("modelgate serving") ? true : undefined),
    60_000,
    "modelgate serve",
  ).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  return Object.assign(target, { url: `http://127.0.0.1:${port}/prod/model`, server });
}

interface LoadRun {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  /** Every 2xx response's latency, ms, sorted. */
  latencies: number[];
}

/**
 * One autocannon run. Latency percentiles come from every 2xx response's own time (autocannon
 * reports them to the microsecond per response; its summary histogram rounds to whole ms).
 */
function load(url: string, body: string, connections: number, seconds: number): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url,
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        connections,
        duration: seconds,
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const sorted = latencies.sort((a, b) => a - b);
        resolve({
          requestsPerSecond: result.requests.total / (result.duration || seconds),
          p50Ms: quantile(sorted, 0.5),
          p99Ms: quantile(sorted, 0.99),
          failures: result.non2xx + result.errors + result.timeouts,
          latencies: sorted,
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/** Load at `connections` until `ready()` holds (every environment warm) or `timeoutMs` passes. */
async function warmUntil(
  url: string,
  body: string,
  connections: number,
  ready: () => boolean,
  timeoutMs: number,
): Promise<void> {
  const started = performance.now();
  do {
    await load(url, body, connections, 1);
  } while (!ready() && performance.now() - started < timeoutMs);
}

function figures(runs: LoadRun[]): LoadFigures {
  return {
    requestsPerSecond: roundSummary(summarize(runs.map((run) => run.requestsPerSecond))),
    p50Ms: roundSummary(summarize(runs.map((run) => run.p50Ms))),
    p99Ms: roundSummary(summarize(runs.map((run) => run.p99Ms))),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
    latency: distribution(runs.flatMap((run) => run.latencies)),
  };
}

export function gatewayAvailable(): string | undefined {
  const needed = ["src/gateway/index.ts", "src/runtime/index.ts", "src/cli/serve.ts", "bin/modelgate.mjs"];
  const missing = needed.filter((path) => !existsSync(join(PACKAGE_ROOT, path)));
  return missing.length > 0 ? `gateway not available: ${missing.join(", ")} missing` : undefined;
}

export async function runGateway(options: GatewayOptions): Promise<GatewayResult | Skipped> {
  const unavailable = gatewayAvailable();
  if (unavailable) {
    options.progress.step("gateway", unavailable);
    return { skipped: unavailable };
  }
  const { budget, model } = options;
  const concurrency = Math.max(...budget.connections);
  // `modelgate serve` runs the handler with the threads Lambda's vCPUs give; the bare server too.
  const threads = vcpusForMemory(options.memoryMb);
  const body = requestBody(syntheticInputs(options.info, 1));
  const bare = await startBare(model, threads, options.memoryMb);
  let serve: ServeTarget | undefined;
  try {
    serve = await startServe(model, options.memoryMb, concurrency);
    const cases: GatewayCase[] = [];
    for (const connections of budget.connections) {
      // Warm-up: JIT, sockets, and one warm environment per connection (each starts cold).
      await load(bare.url, body, connections, 1);
      const target = serve;
      await warmUntil(serve.url, body, connections, () => target.environments.size >= connections, 60_000);
      const runs = { bare: [] as LoadRun[], gateway: [] as LoadRun[] };
      for (let repeat = 0; repeat < budget.loadRepeats; repeat++) {
        const order = repeat % 2 === 0 ? (["bare", "gateway"] as const) : (["gateway", "bare"] as const);
        for (const side of order) {
          runs[side].push(
            await load(side === "bare" ? bare.url : serve.url, body, connections, budget.loadSeconds),
          );
        }
      }
      const throughputRatio = summarize(
        runs.gateway.map((run, i) => run.requestsPerSecond / runs.bare[i]!.requestsPerSecond),
      );
      const addedP50Ms = summarize(runs.gateway.map((run, i) => run.p50Ms - runs.bare[i]!.p50Ms));
      const entry: GatewayCase = {
        connections,
        bare: figures(runs.bare),
        gateway: figures(runs.gateway),
        throughputRatio: roundSummary(throughputRatio, 3),
        addedP50Ms: roundSummary(addedP50Ms, 3),
        pass:
          throughputRatio.median >= GATEWAY_TARGETS.minThroughputRatio &&
          addedP50Ms.median <= GATEWAY_TARGETS.maxAddedP50Ms,
      };
      cases.push(entry);
      options.progress.step(
        "gateway",
        `${connections} conn: serve ${entry.gateway.requestsPerSecond.median.toFixed(0)} req/s p50 ${entry.gateway.p50Ms.median.toFixed(2)} ms, bare ${entry.bare.requestsPerSecond.median.toFixed(0)} req/s p50 ${entry.bare.p50Ms.median.toFixed(2)} ms -> ${entry.throughputRatio.median.toFixed(2)}x${entry.gateway.failures > 0 ? `, ${entry.gateway.failures} failed` : ""}`,
      );
    }
    return {
      model: model.name,
      batch: 1,
      seconds: budget.loadSeconds,
      repeats: budget.loadRepeats,
      concurrency,
      threads,
      ...(serve.initDurations.length > 0
        ? { runtimeInitDurationMs: roundSummary(summarize(serve.initDurations)) }
        : {}),
      ...(serve.maxMemoryUsedMb > 0 ? { runtimeMaxMemoryUsedMb: serve.maxMemoryUsedMb } : {}),
      cases,
    };
  } finally {
    await bare.server.stop();
    await serve?.server.stop();
  }
}
