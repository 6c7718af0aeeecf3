import type { ModelInfo } from "../../src/inference/model.ts";
import type { Progress } from "../lib/progress.ts";
import type { Summary } from "../lib/stats.ts";
import type { BenchModel } from "../models.ts";
import type { Budget } from "../run.ts";
import type { Skipped } from "./skipped.ts";

/** Section 2, gateway overhead: autocannon against a bare node:http server and the local gateway. */
export interface LoadFigures {
  requestsPerSecond: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  /** Non-2xx responses and errors, summed over repeats. */
  failures: number;
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
  cases: GatewayCase[];
}

export interface GatewayOptions {
  model: BenchModel;
  info: ModelInfo;
  budget: Budget;
  threads: number;
  memoryMb: number;
  progress: Progress;
}

export async function runGateway(options: GatewayOptions): Promise<GatewayResult | Skipped> {
  const skipped = { skipped: "gateway not available: src/gateway and `modelgate serve` have not landed" };
  options.progress.step("gateway", skipped.skipped);
  return skipped;
}
