import { LIMITS } from "../../src/spec/limits.ts";
import { ARCHITECTURES } from "../../src/spec/schema.ts";
import { artifactFor } from "../lib/artifacts.ts";
import type { Progress } from "../lib/progress.ts";
import type { BenchModel } from "../models.ts";
import type { Skipped } from "./skipped.ts";

/**
 * Section 4, artifact: the zip `modelgate package` builds (src/package) for each architecture,
 * zipped and unzipped, with the share of the onnxruntime files, the model and the handler,
 * against Lambda's 50 MB zipped (direct upload) and 250 MB unzipped limits.
 */

export interface ArtifactPart {
  zippedBytes: number;
  unzippedBytes: number;
  /** Share of the unzipped total. */
  share: number;
}

export interface ArtifactCase {
  model: string;
  architecture: string;
  /** `zip` or `s3` (past 50 MB the model travels by S3 and is not in the zip). */
  modelPlacement: string;
  zipBytes: number;
  unzippedBytes: number;
  zipLimitBytes: number;
  unzippedLimitBytes: number;
  parts: { runtime: ArtifactPart; model: ArtifactPart; handler: ArtifactPart };
  pass: boolean;
}

export interface ArtifactResult {
  cases: ArtifactCase[];
}

export async function runArtifact(options: {
  models: BenchModel[];
  progress: Progress;
}): Promise<ArtifactResult | Skipped> {
  const cases: ArtifactCase[] = [];
  for (const model of options.models) {
    for (const architecture of ARCHITECTURES) {
      let artifact: Awaited<ReturnType<typeof artifactFor>>;
      try {
        artifact = await artifactFor(model, architecture);
      } catch (error) {
        const skipped = { skipped: `artifact: ${model.name} ${architecture}: ${(error as Error).message}` };
        options.progress.step("artifact", skipped.skipped);
        return skipped;
      }
      const { sizes } = artifact;
      const total = sizes.total.unzipped;
      const part = (size: { zipped: number; unzipped: number }) => ({
        zippedBytes: size.zipped,
        unzippedBytes: size.unzipped,
        share: Number((size.unzipped / total).toFixed(4)),
      });
      const entry: ArtifactCase = {
        model: model.name,
        architecture,
        modelPlacement: artifact.model.placement,
        zipBytes: sizes.total.zipped,
        unzippedBytes: total,
        zipLimitBytes: LIMITS.lambdaZipBytes,
        unzippedLimitBytes: LIMITS.lambdaUnzippedBytes,
        parts: { runtime: part(sizes.runtime), model: part(sizes.model), handler: part(sizes.handler) },
        pass: sizes.total.zipped <= LIMITS.lambdaZipBytes && total <= LIMITS.lambdaUnzippedBytes,
      };
      cases.push(entry);
      options.progress.step(
        "artifact",
        `${model.name} ${architecture}: zip ${(entry.zipBytes / 2 ** 20).toFixed(1)} MB, unzipped ${(total / 2 ** 20).toFixed(1)} MB (runtime ${(entry.parts.runtime.share * 100).toFixed(0)}%, model ${(entry.parts.model.share * 100).toFixed(0)}%, handler ${(entry.parts.handler.share * 100).toFixed(1)}%)`,
      );
    }
  }
  return { cases };
}
