import { roundSummary, type Summary } from "../lib/stats.ts";
import type { ColdStartResult } from "./cold-start.ts";
import { minimumMemoryMb } from "./cost.ts";

/**
 * Section 6, peak memory: the max RSS of one execution environment (the cold-start children,
 * after their first response and a few invocations at every batch size) against the memory
 * size the function is configured with.
 */
export interface MemoryCase {
  model: string;
  peakRssBytes: Summary;
  memoryMb: number;
  /** peak RSS / configured memory. */
  ratio: number;
  pass: boolean;
  /** Smallest memory size that holds the peak with headroom. */
  minimumMemoryMb: number;
}

export interface MemoryResult {
  memoryMb: number;
  batches: number[];
  cases: MemoryCase[];
}

export function memoryFromColdStart(
  coldStart: ColdStartResult,
  memoryMb: number,
  batches: number[],
): MemoryResult {
  return {
    memoryMb,
    batches,
    cases: coldStart.cases.map((entry) => {
      const peak = entry.peakRssBytes.max;
      const ratio = peak / (memoryMb * 1024 * 1024);
      return {
        model: entry.model,
        peakRssBytes: roundSummary(entry.peakRssBytes, 6),
        memoryMb,
        ratio: Number(ratio.toFixed(4)),
        pass: ratio <= 1,
        minimumMemoryMb: minimumMemoryMb(peak),
      };
    }),
  };
}
