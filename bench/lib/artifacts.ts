import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Artifact, buildArtifact, extractZip } from "../../src/package/index.ts";
import type { Architecture } from "../../src/spec/schema.ts";
import type { BenchModel } from "../models.ts";
import { scratchDir } from "./scratch.ts";

/**
 * The Lambda artifacts `modelgate package` builds (src/package), once per model and
 * architecture per run, in a temp dir: the artifact section reports their sizes and the cold
 * start section runs the unpacked one of this machine's architecture.
 */

export const HOST_ARCHITECTURE: Architecture = process.arch === "arm64" ? "arm64" : "x86_64";

const built = new Map<string, Promise<Artifact>>();
const unpackedDirs = new Map<string, Promise<UnpackedArtifact>>();

export function artifactFor(model: BenchModel, architecture: Architecture): Promise<Artifact> {
  const key = `${model.name}-${architecture}`;
  let artifact = built.get(key);
  if (!artifact) {
    artifact = buildArtifact({
      spec: { model: { path: model.path, name: model.name }, function: { architecture } },
      outFile: join(scratchDir("artifacts"), `${key}.zip`),
    });
    built.set(key, artifact);
  }
  return artifact;
}

export interface UnpackedArtifact {
  dir: string;
  /** `index.mjs`, the handler as Lambda loads it. */
  handlerUrl: string;
  /** The artifact's own onnxruntime-node entry. */
  ortUrl: string;
  /** The model inside the artifact (or the local file when it travels by S3). */
  modelPath: string;
}

/** This machine's architecture's artifact, unpacked as Lambda unpacks it into /var/task. */
export function unpackedArtifact(model: BenchModel): Promise<UnpackedArtifact> {
  let unpacked = unpackedDirs.get(model.name);
  if (!unpacked) {
    unpacked = (async () => {
      const artifact = await artifactFor(model, HOST_ARCHITECTURE);
      const dir = join(scratchDir("artifacts"), `${model.name}-unpacked`);
      await extractZip(artifact.zipPath, dir);
      const index = join(dir, "index.mjs");
      return {
        dir,
        handlerUrl: pathToFileURL(index).href,
        ortUrl: pathToFileURL(createRequire(index).resolve("onnxruntime-node")).href,
        modelPath: artifact.model.zipEntry ? join(dir, artifact.model.zipEntry) : artifact.model.localPath,
      };
    })();
    unpackedDirs.set(model.name, unpacked);
  }
  return unpacked;
}
