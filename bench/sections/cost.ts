import { LIMITS, vcpusForMemory } from "../../src/spec/limits.ts";
import { ARCHITECTURES, type Architecture } from "../../src/spec/schema.ts";

/**
 * Section 5, cost: AWS list prices applied to measured durations, and the memory size that
 * costs least at those durations.
 */

/**
 * us-east-1 public list prices, taken 2026-11. No free tier, no Savings Plans, no tiered
 * discounts past the first tier: what a new account pays per request at low volume.
 */
export const PRICES = {
  date: "2026-11",
  region: "us-east-1",
  /** Lambda compute, per GB-second (1 GB = 1,024 MB), by architecture. */
  lambdaPerGbSecond: { x86_64: 0.0000166667, arm64: 0.0000133334 } satisfies Record<Architecture, number>,
  /** Lambda requests, per million. */
  lambdaPerMillionRequests: 0.2,
  /** API Gateway REST API requests, per million, for the first 333 million a month. */
  apiGatewayRestPerMillion: 3.5,
  /** Lambda bills duration in 1 ms increments. */
  billingGranularityMs: 1,
} as const;

/** Headroom above the measured peak RSS when picking the smallest memory that fits. */
export const MEMORY_HEADROOM = 1.1;

/**
 * How one invocation's duration scales with the memory setting. Measured on this machine with
 * one intra-op thread, taken as one full Lambda vCPU (1,769 MB):
 * - below 1,769 MB the function gets that fraction of a vCPU, so all CPU-bound work takes
 *   1,769 / memory times longer;
 * - above, the handler's own work (JSON, tensors) stays single-threaded and does not speed up;
 *   `session.run` speeds up by at most min(threads, memory / 1,769): perfect scaling over the
 *   CPU share, an upper bound (ORT rarely scales perfectly, small models not at all).
 */
export interface DurationModel {
  /** The handler's own work per invocation (handler minus raw session.run), ms. */
  handlerMs: number;
  /** session.run, ms. */
  runMs: number;
  /** Intra-op threads; undefined follows the vCPUs of the memory size (the handler's default). */
  threads?: number | undefined;
}

export function durationAt(model: DurationModel, memoryMb: number): number {
  const share = memoryMb / LIMITS.lambdaMbPerVcpu;
  const single = Math.min(1, share);
  const threads = model.threads ?? vcpusForMemory(memoryMb);
  const parallel = Math.max(single, Math.min(threads, vcpusForMemory(memoryMb), share));
  return model.handlerMs / single + model.runMs / parallel;
}

export interface CostBreakdown {
  memoryMb: number;
  architecture: Architecture;
  durationMs: number;
  billedMs: number;
  /** Per million requests, USD. */
  lambdaCompute: number;
  lambdaRequests: number;
  apiGateway: number;
  total: number;
}

/** Cost of one million requests of `durationMs` each at `memoryMb`. */
export function costPerMillion(
  durationMs: number,
  memoryMb: number,
  architecture: Architecture,
): CostBreakdown {
  const billedMs = Math.max(
    PRICES.billingGranularityMs,
    Math.ceil(durationMs / PRICES.billingGranularityMs) * PRICES.billingGranularityMs,
  );
  const gbSeconds = (memoryMb / 1024) * (billedMs / 1000);
  const lambdaCompute = 1e6 * gbSeconds * PRICES.lambdaPerGbSecond[architecture];
  const lambdaRequests = PRICES.lambdaPerMillionRequests;
  const apiGateway = PRICES.apiGatewayRestPerMillion;
  return {
    memoryMb,
    architecture,
    durationMs,
    billedMs,
    lambdaCompute,
    lambdaRequests,
    apiGateway,
    total: lambdaCompute + lambdaRequests + apiGateway,
  };
}

/** Smallest memory size that holds `peakRssBytes` with headroom (Lambda's 128 MB floor). */
export function minimumMemoryMb(peakRssBytes: number): number {
  // Rounded to 1e-6 MB first: 200 MB x 1.1 is 220.00000000000003 in floating point, not 221 MB.
  const needed = Math.ceil(Math.round((peakRssBytes / (1024 * 1024)) * MEMORY_HEADROOM * 1e6) / 1e6);
  return Math.min(LIMITS.lambdaMemoryMaxMb, Math.max(LIMITS.lambdaMemoryMinMb, needed));
}

/**
 * The memory size with the lowest cost at the modelled duration, from `floorMb` up. Where the
 * compute cost ties within 1% (1 ms billing makes whole ranges nearly equal), the
 * fastest of them.
 */
export function cheapestMemory(
  model: DurationModel,
  floorMb: number,
  architecture: Architecture,
): CostBreakdown {
  const candidates: CostBreakdown[] = [];
  for (let memoryMb = floorMb; memoryMb <= LIMITS.lambdaMemoryMaxMb; memoryMb++) {
    candidates.push(costPerMillion(durationAt(model, memoryMb), memoryMb, architecture));
  }
  const lowest = Math.min(...candidates.map((candidate) => candidate.lambdaCompute));
  const tied = candidates.filter((candidate) => candidate.lambdaCompute <= lowest * 1.01);
  return tied.reduce((best, candidate) => (candidate.durationMs < best.durationMs ? candidate : best));
}

/** The cost-versus-memory curve for a chart: every 64 MB, plus the ends. */
export function costCurve(
  model: DurationModel,
  architecture: Architecture,
  fromMb: number = LIMITS.lambdaMemoryMinMb,
): Array<{ memoryMb: number; total: number; durationMs: number }> {
  const points = [];
  for (let memoryMb = fromMb; memoryMb <= LIMITS.lambdaMemoryMaxMb; memoryMb += 64) {
    const cost = costPerMillion(durationAt(model, memoryMb), memoryMb, architecture);
    points.push({ memoryMb, total: cost.total, durationMs: cost.durationMs });
  }
  return points;
}

export interface CostCase {
  model: string;
  batch: number;
  duration: DurationModel;
  /** Smallest memory that holds the measured peak RSS with headroom. */
  floorMb: number;
  /** At the configured memory, per architecture. */
  configured: Record<Architecture, CostBreakdown>;
  /** The cheapest memory from `floorMb` up, per architecture. */
  cheapest: Record<Architecture, CostBreakdown>;
  /** configured total / cheapest total (arm64). */
  ratio: number;
}

export interface CostResult {
  prices: typeof PRICES;
  memoryMb: number;
  assumptions: string[];
  cases: CostCase[];
}

export const COST_ASSUMPTIONS = [
  "Durations are the in-process handler medians measured here, taken as one full Lambda vCPU (1,769 MB), the same on arm64 and x86_64.",
  "Below 1,769 MB all CPU-bound work slows by 1,769/memory; above, only session.run speeds up, by at most min(threads, memory/1,769) (perfect scaling: an upper bound); threads follow the vCPUs of the memory size unless set.",
  "Warm invocations only: the init phase (billed since Aug 2025) and the gateway hop are not in the per-request duration.",
  "List prices, us-east-1, first API Gateway tier, no free tier.",
];

export function costCase(
  name: string,
  batch: number,
  duration: DurationModel,
  memoryMb: number,
  peakRssBytes: number,
): CostCase {
  const floorMb = minimumMemoryMb(peakRssBytes);
  const configured = {} as Record<Architecture, CostBreakdown>;
  const cheapest = {} as Record<Architecture, CostBreakdown>;
  for (const architecture of ARCHITECTURES) {
    configured[architecture] = costPerMillion(durationAt(duration, memoryMb), memoryMb, architecture);
    cheapest[architecture] = cheapestMemory(duration, floorMb, architecture);
  }
  return {
    model: name,
    batch,
    duration,
    floorMb,
    configured,
    cheapest,
    ratio: configured.arm64.total / cheapest.arm64.total,
  };
}
