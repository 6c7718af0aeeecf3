import * as ort from "onnxruntime-node";
import { decodeTensor } from "../../src/inference/codec.ts";
import { Model, type ModelInfo } from "../../src/inference/model.ts";
import { createHandler, type HandlerLogger } from "../../src/lambda/handler.ts";
import { readJsonBody } from "../../src/lambda/request.ts";
import { formatPredictResponse, parsePredictRequest } from "../../src/protocol/simple-json.ts";
import { nest, predictEvent, requestBody, syntheticInputs } from "../lib/inputs.ts";
import { sinkLogger } from "../lib/logger.ts";
import type { Progress } from "../lib/progress.ts";
import {
  type Distribution,
  distribution,
  round,
  roundSummary,
  type Summary,
  summarize,
} from "../lib/stats.ts";
import { calibrate, timeCalls } from "../lib/timing.ts";
import type { BenchModel } from "../models.ts";

/**
 * Section 1, inference overhead: the handler in process (proxy event -> response, JSON parse
 * and stringify included) against a bare `session.run` of the same model, batch and threads,
 * with tensors built once. Blocks of each alternate within every repeat, so drift on a shared
 * machine hits both; the ratio is taken per repeat, then its median and spread are reported.
 */

export interface InferenceOptions {
  models: BenchModel[];
  batches: number[];
  repeats: number;
  /** Time budget of one block of calls. */
  blockMs: number;
  threads: number;
  progress: Progress;
}

/** Where the handler's time goes, median ms per call of each stage run on its own. */
export interface Breakdown {
  readBody: number;
  decode: number;
  run: number;
  encode: number;
  stringify: number;
  log: number;
}

export interface InferenceCase {
  model: string;
  batch: number;
  callsPerBlock: number;
  requestBytes: number;
  responseBytes: number;
  handlerMs: Summary;
  rawMs: Summary;
  ratio: Summary;
  /** The same handler with a logger that does nothing: what the per-invocation log line costs. */
  quietHandlerMs: Summary;
  quietRatio: Summary;
  /** Maximum ratio the issue sets for this case, when it sets one. */
  target?: number;
  pass?: boolean;
  breakdownMs: Breakdown;
  handlerLatency: Distribution;
  rawLatency: Distribution;
}

export interface InferenceResult {
  threads: number;
  repeats: number;
  cases: InferenceCase[];
}

/** Tensors for the raw baseline, built once with the codec (every dtype the handler takes). */
function rawFeeds(info: ModelInfo, batch: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of syntheticInputs(info, batch)) {
    const decoded = decodeTensor(input.name, input.dtype, nest(input.values, input.dims));
    feeds[input.name] = new ort.Tensor(input.dtype, decoded.data as ort.Tensor.DataType, decoded.dims);
  }
  return feeds;
}

const ROTATIONS = [
  ["raw", "handler", "quiet"],
  ["handler", "quiet", "raw"],
  ["quiet", "raw", "handler"],
] as const;

const NO_LOGGER: HandlerLogger = { info() {}, warn() {}, error() {} };

const INVOCATION_FIELDS = {
  requestId: "00000000-0000-4000-8000-000000000000",
  awsRequestId: undefined,
  model: "bench",
  status: 200,
  batch: 1,
  latencyMs: 0.123,
};

async function median(fn: () => unknown, calls: number): Promise<number> {
  return summarize(await timeCalls(fn, calls)).median;
}

async function breakdown(
  model: Model,
  logger: HandlerLogger,
  body: string,
  calls: number,
): Promise<Breakdown> {
  const event = predictEvent(body);
  const parsed = readJsonBody(event);
  const request = parsePredictRequest(model.info, parsed);
  const outputs = await model.run(request.feeds);
  const response = formatPredictResponse(model.info, request.form, outputs);
  return {
    readBody: round(await median(() => readJsonBody(event), calls)),
    decode: round(await median(() => parsePredictRequest(model.info, parsed), calls)),
    run: round(await median(() => model.run(request.feeds), calls)),
    encode: round(await median(() => formatPredictResponse(model.info, request.form, outputs), calls)),
    stringify: round(await median(() => JSON.stringify(response), calls)),
    // The handler's one log line per invocation, with the fields it logs.
    log: round(await median(() => logger.info("invocation", INVOCATION_FIELDS), calls)),
  };
}

export async function runInference(options: InferenceOptions): Promise<InferenceResult> {
  const cases: InferenceCase[] = [];
  const logger = sinkLogger();
  for (const benchModel of options.models) {
    const model = await Model.load(benchModel.path, { name: benchModel.name, threads: options.threads });
    const session = await ort.InferenceSession.create(benchModel.path, {
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    });
    const handler = createHandler({ model, logger });
    const quietHandler = createHandler({ model, logger: NO_LOGGER });
    for (const batch of options.batches) {
      const body = requestBody(syntheticInputs(model.info, batch));
      const event = predictEvent(body);
      const feeds = rawFeeds(model.info, batch);
      const first = await handler(event);
      if (first.statusCode !== 200) {
        throw new Error(
          `bench: ${benchModel.name} batch ${batch} answered ${first.statusCode}: ${first.body}`,
        );
      }
      const sides = {
        raw: () => session.run(feeds),
        handler: () => handler(event),
        quiet: () => quietHandler(event),
      };
      const calls = await calibrate(sides.handler, options.blockMs);
      const rawCalls = Math.min(5000, Math.max(calls, await calibrate(sides.raw, options.blockMs)));
      const blocks = { raw: [] as number[], handler: [] as number[], quiet: [] as number[] };
      const samples = { raw: [] as number[], handler: [] as number[] };
      const ratios: number[] = [];
      const quietRatios: number[] = [];
      for (let repeat = 0; repeat < options.repeats; repeat++) {
        // Rotate which goes first, so a slow phase of the machine does not favour one side.
        const order = ROTATIONS[repeat % ROTATIONS.length]!;
        for (const side of order) {
          const durations = await timeCalls(sides[side], side === "raw" ? rawCalls : calls);
          // Block median, not mean: a preemption on a shared machine skews a mean, not a median.
          blocks[side].push(summarize(durations).median);
          if (side !== "quiet") samples[side].push(...durations);
        }
        ratios.push(blocks.handler.at(-1)! / blocks.raw.at(-1)!);
        quietRatios.push(blocks.quiet.at(-1)! / blocks.raw.at(-1)!);
      }
      const target = benchModel.targets?.[batch];
      const ratio = summarize(ratios);
      const entry: InferenceCase = {
        model: benchModel.name,
        batch,
        callsPerBlock: calls,
        requestBytes: Buffer.byteLength(body),
        responseBytes: Buffer.byteLength(first.body),
        handlerMs: roundSummary(summarize(blocks.handler)),
        rawMs: roundSummary(summarize(blocks.raw)),
        ratio: roundSummary(ratio, 3),
        quietHandlerMs: roundSummary(summarize(blocks.quiet)),
        quietRatio: roundSummary(summarize(quietRatios), 3),
        ...(target !== undefined ? { target, pass: ratio.median <= target } : {}),
        breakdownMs: await breakdown(model, logger, body, Math.max(3, Math.round(calls / 2))),
        handlerLatency: distribution(samples.handler),
        rawLatency: distribution(samples.raw),
      };
      cases.push(entry);
      options.progress.step(
        "inference",
        `${benchModel.name} batch ${batch}: handler ${entry.handlerMs.median.toFixed(3)} ms, raw ${entry.rawMs.median.toFixed(3)} ms -> ${entry.ratio.median.toFixed(2)}x`,
      );
    }
    await session.release();
    await model.dispose();
  }
  return { threads: options.threads, repeats: options.repeats, cases };
}
