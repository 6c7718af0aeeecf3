import type { Progress } from "../lib/progress.ts";
import type { BenchModel } from "../models.ts";
import type { Skipped } from "./skipped.ts";

/** Section 4, artifact: zip and unzipped size per architecture against Lambda's limits. */
export interface ArtifactPart {
  zippedBytes: number;
  unzippedBytes: number;
  /** Share of the unzipped total. */
  share: number;
}

export interface ArtifactCase {
  architecture: string;
  zipBytes: number;
  unzippedBytes: number;
  zipLimitBytes: number;
  unzippedLimitBytes: number;
  parts: { runtime: ArtifactPart; model: ArtifactPart; handler: ArtifactPart };
  pass: boolean;
}

export interface ArtifactResult {
  model: string;
  cases: ArtifactCase[];
}

export async function runArtifact(options: {
  model: BenchModel;
  progress: Progress;
}): Promise<ArtifactResult | Skipped> {
  const skipped = { skipped: "artifact: src/package (buildArtifact) not available yet" };
  options.progress.step("artifact", skipped.skipped);
  return skipped;
}
