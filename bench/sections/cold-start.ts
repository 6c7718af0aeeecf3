import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import type { ModelInfo } from "../../src/inference/model.ts";
import { HOST_ARCHITECTURE, unpackedArtifact } from "../lib/artifacts.ts";
import { benchBundles, PACKAGE_ROOT } from "../lib/bundle.ts";
import { postJson } from "../lib/http.ts";
import { requestBody, syntheticInputs } from "../lib/inputs.ts";
import type { Progress } from "../lib/progress.ts";
import { roundSummary, type Summary, summarize } from "../lib/stats.ts";
import type { BenchModel } from "../models.ts";
import { gatewayAvailable, startServe } from "./gateway.ts";
import type { Skipped } from "./skipped.ts";

/**
 * Section 3, cold start: a new `node` process -> model loaded -> first response, broken down,
 * against the baseline `node -e` start plus session creation alone (no handler, no logger, no
 * warm-up). Section 6, peak memory, comes from the same environments: their max RSS after a
 * few invocations at every batch size.
 */

/** The target: the handler's cold start within this much of the baseline. */
export const COLD_START_TARGET_MS = 150;

export interface ColdStartOptions {
  models: BenchModel[];
  /** Input declarations per model name (from the loaded model). */
  inputs: Record<string, ModelInfo["inputs"]>;
  batches: number[];
  repeats: number;
  memoryMb: number;
  threads: number;
  progress: Progress;
}

export interface ColdStartBreakdown {
  /** spawn -> first line of user code (node's own boot). */
  processStartMs: Summary;
  /** Importing onnxruntime-node, and the handler module's own code (Powertools included). */
  moduleLoadMs: Summary;
  /** Model.load as the handler logs it (`loadMs`): read the model, create the session, warm up. */
  sessionCreationMs: Summary;
  /** The first invocation, batch 1. */
  firstRunMs: Summary;
  totalMs: Summary;
}

export interface BaselineBreakdown {
  processStartMs: Summary;
  moduleLoadMs: Summary;
  sessionCreationMs: Summary;
  totalMs: Summary;
}

export interface ColdStartCase {
  model: string;
  handler: ColdStartBreakdown;
  baseline: BaselineBreakdown;
  /** Median of handler total minus baseline total, per repeat pair. */
  addedMs: Summary;
  ratio: Summary;
  targetMs: number;
  pass: boolean;
  /** Max RSS of each environment after its invocations, bytes. */
  peakRssBytes: Summary;
  rssAfterDepsBytes: Summary;
  rssAfterInitBytes: Summary;
}

/** Cold starts through `modelgate serve`: a request that starts an environment on demand. */
export interface ServeColdStart {
  model: string;
  /** Client-side: POST sent -> response, on an environment starting cold. */
  firstRequestMs: Summary;
  /** The runtime's `Init Duration` of that environment (REPORT line). */
  initDurationMs: Summary;
  baselineMs: Summary;
  addedMs: Summary;
  ratio: Summary;
  targetMs: number;
  pass: boolean;
}

export interface ColdStartResult {
  /** Present when `modelgate serve` is available. */
  serve?: ServeColdStart | Skipped;
  /** What was started: the unpacked Lambda artifact (or the bundled handler), run by plain `node`. */
  artifact: string;
  repeats: number;
  cases: ColdStartCase[];
}

interface ProbeReport {
  entry: number;
  depsLoaded: number;
  initDone: number;
  firstDone: number;
  rssAfterDeps: number;
  rssAfterInit: number;
  peakRss: number;
}

interface BaselineReport {
  entry: number;
  ortLoaded: number;
  sessionCreated: number;
}

const MARKER = "MODELGATE_BENCH ";

interface ChildRun {
  spawned: number;
  report: unknown;
  /** `loadMs` of the handler's "model loaded" log line, when it printed one. */
  loadMs?: number;
}

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const spawned = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, args, {
      cwd: PACKAGE_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((text) => text.startsWith(MARKER));
      if (code !== 0 || !line) {
        reject(new Error(`bench: cold-start child exited ${code}: ${stderr.trim() || stdout.trim()}`));
        return;
      }
      const loaded = stdout.split("\n").find((text) => text.includes('"model loaded"'));
      const loadMs = loaded ? (JSON.parse(loaded) as { loadMs?: number }).loadMs : undefined;
      resolve({
        spawned,
        report: JSON.parse(line.slice(MARKER.length)),
        ...(loadMs !== undefined ? { loadMs } : {}),
      });
    });
  });
}

/** `node -e`: start, import onnxruntime-node, create the session. Nothing else. */
function baselineScript(modelPath: string, threads: number, ortUrl: string): string {
  return [
    "const now = () => performance.timeOrigin + performance.now();",
    "const entry = now();",
    `const ort = await import(${JSON.stringify(ortUrl)});`,
    "const ortLoaded = now();",
    `await ort.InferenceSession.create(${JSON.stringify(modelPath)}, { intraOpNumThreads: ${threads}, interOpNumThreads: 1 });`,
    "const sessionCreated = now();",
    `process.stdout.write(${JSON.stringify(MARKER)} + JSON.stringify({ entry, ortLoaded, sessionCreated }) + "\\n");`,
    "process.exit(0);",
  ].join("\n");
}

export async function runColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
  const bundle = await benchBundles();
  let artifact = "";
  const cases: ColdStartCase[] = [];
  for (const model of options.models) {
    const target = await coldStartTarget(model, bundle.handler);
    artifact = target.description;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MODELGATE_BENCH_ORT: target.ortUrl,
      MODELGATE_MODEL_PATH: target.modelPath,
      MODELGATE_MODEL_NAME: model.name,
      MODELGATE_THREADS: String(options.threads),
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
      MODELGATE_BENCH_HANDLER: target.handlerUrl,
      MODELGATE_BENCH_INPUTS: JSON.stringify(options.inputs[model.name] ?? []),
      MODELGATE_BENCH_BATCHES: options.batches.join(","),
    };
    const handler: Record<keyof ColdStartBreakdown, number[]> = {
      processStartMs: [],
      moduleLoadMs: [],
      sessionCreationMs: [],
      firstRunMs: [],
      totalMs: [],
    };
    const baseline: Record<keyof BaselineBreakdown, number[]> = {
      processStartMs: [],
      moduleLoadMs: [],
      sessionCreationMs: [],
      totalMs: [],
    };
    const added: number[] = [];
    const ratios: number[] = [];
    const rss = { peak: [] as number[], deps: [] as number[], init: [] as number[] };
    const script = baselineScript(target.modelPath, options.threads, target.ortUrl);
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      const runHandler = async () => {
        const { spawned, report, loadMs } = await runChild([bundle.probe], env);
        const r = report as ProbeReport;
        // The handler module's import: its own code (Powertools etc.), then Model.load (loadMs).
        const session = loadMs ?? r.initDone - r.depsLoaded;
        handler.processStartMs.push(r.entry - spawned);
        handler.moduleLoadMs.push(r.depsLoaded - r.entry + (r.initDone - r.depsLoaded - session));
        handler.sessionCreationMs.push(session);
        handler.firstRunMs.push(r.firstDone - r.initDone);
        handler.totalMs.push(r.firstDone - spawned);
        rss.peak.push(r.peakRss);
        rss.deps.push(r.rssAfterDeps);
        rss.init.push(r.rssAfterInit);
      };
      const runBaseline = async () => {
        const { spawned, report } = await runChild(["--input-type=module", "-e", script], process.env);
        const r = report as BaselineReport;
        baseline.processStartMs.push(r.entry - spawned);
        baseline.moduleLoadMs.push(r.ortLoaded - r.entry);
        baseline.sessionCreationMs.push(r.sessionCreated - r.ortLoaded);
        baseline.totalMs.push(r.sessionCreated - spawned);
      };
      // Alternate which goes first: the page cache favours whoever runs second.
      if (repeat % 2 === 0) {
        await runBaseline();
        await runHandler();
      } else {
        await runHandler();
        await runBaseline();
      }
      added.push(handler.totalMs.at(-1)! - baseline.totalMs.at(-1)!);
      ratios.push(handler.totalMs.at(-1)! / baseline.totalMs.at(-1)!);
    }
    const addedMs = summarize(added);
    const entry: ColdStartCase = {
      model: model.name,
      handler: summarizeAll(handler),
      baseline: summarizeAll(baseline),
      addedMs: roundSummary(addedMs, 3),
      ratio: roundSummary(summarize(ratios), 3),
      targetMs: COLD_START_TARGET_MS,
      pass: addedMs.median <= COLD_START_TARGET_MS,
      peakRssBytes: summarize(rss.peak),
      rssAfterDepsBytes: summarize(rss.deps),
      rssAfterInitBytes: summarize(rss.init),
    };
    cases.push(entry);
    options.progress.step(
      "cold start",
      `${model.name}: first response ${entry.handler.totalMs.median.toFixed(0)} ms vs node -e + session ${entry.baseline.totalMs.median.toFixed(0)} ms (+${entry.addedMs.median.toFixed(0)} ms)`,
    );
  }
  const serve = await serveColdStarts(options, cases[0]);
  return { artifact, repeats: options.repeats, cases, ...(serve ? { serve } : {}) };
}

/**
 * A cold start through `modelgate serve`: a fresh server (which provisions one environment
 * before it listens), then two requests at once: one takes the provisioned environment, the
 * other starts one on demand, a cold start with its runtime-reported Init Duration. The slower
 * response is the cold one, as a client waits for it.
 */
async function serveColdStarts(
  options: ColdStartOptions,
  reference: ColdStartCase | undefined,
): Promise<ServeColdStart | Skipped | undefined> {
  const model = options.models[0];
  if (!model || !reference) return undefined;
  const unavailable = gatewayAvailable();
  if (unavailable) return { skipped: unavailable };
  const body = requestBody(
    syntheticInputs({ inputs: options.inputs[model.name] ?? [] } as unknown as ModelInfo, 1),
  );
  const first: number[] = [];
  const init: number[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const serve = await startServe(model, options.memoryMb, 2);
    try {
      const timed = async () => {
        const started = performance.now();
        const response = await postJson(serve.url, body);
        if (response.status !== 200)
          throw new Error(`bench: serve answered ${response.status}: ${response.body}`);
        return performance.now() - started;
      };
      const [a, b] = await Promise.all([timed(), timed()]);
      // The REPORT lines follow the responses on the server's stdout.
      const deadline = performance.now() + 5000;
      while (serve.initDurations.length === 0 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (serve.initDurations[0] === undefined) {
        return { skipped: "cold start via modelgate serve: no REPORT line carried an Init Duration" };
      }
      first.push(Math.max(a, b));
      init.push(serve.initDurations[0]);
    } finally {
      await serve.server.stop();
    }
  }
  const baseline = reference.baseline.totalMs;
  const addedMs = summarize(first.map((value) => value - baseline.median));
  const result: ServeColdStart = {
    model: model.name,
    firstRequestMs: roundSummary(summarize(first), 4),
    initDurationMs: roundSummary(summarize(init), 4),
    baselineMs: baseline,
    addedMs: roundSummary(addedMs, 3),
    ratio: roundSummary(summarize(first.map((value) => value / baseline.median)), 3),
    targetMs: COLD_START_TARGET_MS,
    pass: addedMs.median <= COLD_START_TARGET_MS,
  };
  options.progress.step(
    "cold start",
    `${model.name} via modelgate serve: cold request ${result.firstRequestMs.median.toFixed(0)} ms (Init Duration ${result.initDurationMs.median.toFixed(0)} ms) vs ${baseline.median.toFixed(0)} ms`,
  );
  return result;
}

interface ColdStartTarget {
  description: string;
  handlerUrl: string;
  ortUrl: string;
  modelPath: string;
}

/** The packaged artifact when src/package builds one here; else the handler bundled for node. */
async function coldStartTarget(model: BenchModel, bundledHandler: string): Promise<ColdStartTarget> {
  try {
    const unpacked = await unpackedArtifact(model);
    return {
      description: `the Lambda artifact (src/package, ${HOST_ARCHITECTURE}) unpacked and run by node`,
      handlerUrl: unpacked.handlerUrl,
      ortUrl: unpacked.ortUrl,
      modelPath: unpacked.modelPath,
    };
  } catch (error) {
    return {
      description: `src/lambda/index.ts bundled by esbuild, run by node (artifact unavailable: ${(error as Error).message})`,
      handlerUrl: pathToFileURL(bundledHandler).href,
      ortUrl: import.meta.resolve("onnxruntime-node"),
      modelPath: model.path,
    };
  }
}

function summarizeAll<K extends string>(values: Record<K, number[]>): Record<K, Summary> {
  const out = {} as Record<K, Summary>;
  for (const key of Object.keys(values) as K[]) out[key] = roundSummary(summarize(values[key]), 4);
  return out;
}
