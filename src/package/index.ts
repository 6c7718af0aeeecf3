import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { type EndpointSpecInput, LIMITS, modelOf, parseSpec } from "../spec/index.ts";
import { bundleHandler, HANDLER_ENTRY } from "./bundle.ts";
import { NODE_ARCH, runtimeFiles } from "./runtime-files.ts";
import type { Artifact, ModelPlacement, PartSize } from "./types.ts";
import { readZipEntries, writeZip, type ZipSource } from "./zip.ts";

/**
 * The Lambda artifact: the bundled handler (`index.mjs`), one architecture's onnxruntime files,
 * and the model (`model/<name>.onnx`) unless it would push the zip past Lambda's 50 MB direct
 * upload limit, in which case the model travels as an S3 object (the Pulumi component uploads
 * it; the handler copies it to /tmp at init).
 */

export type { Artifact, ModelPlacement, PartSize } from "./types.ts";
export { extractZip, readZipEntries } from "./zip.ts";

export interface BuildOptions {
  /** The endpoint spec: model, architecture and name come from it. @default {} */
  spec?: EndpointSpecInput;
  /** Where to write the zip. @default `dist/<name>-<architecture>.zip` under the working directory */
  outFile?: string;
  /** The handler module to bundle. @default src/lambda/index.ts */
  entry?: string;
  /** Where the model goes; `auto` keeps it in the zip unless the zip would pass 50 MB. @default "auto" */
  modelPlacement?: ModelPlacement | "auto";
  /** zlib level for the zip. @default 6 */
  compressionLevel?: number;
  /** Lambda's package limits. @default LIMITS.lambdaZipBytes / LIMITS.lambdaUnzippedBytes */
  limits?: { zipBytes: number; unzippedBytes: number };
}

/** The artifact cannot be deployed as a zip: the message names each part's size and the limit. */
export class ArtifactTooLargeError extends RangeError {
  override name = "ArtifactTooLargeError";
}

const MB = 1024 * 1024;
/** Bytes for people: KB below a megabyte, MB with one decimal above. */
export const formatMb = (bytes: number): string =>
  bytes < MB ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / MB).toFixed(1)} MB`;

/** Build the artifact for the spec's architecture and write it to `outFile`. */
export async function buildArtifact(options: BuildOptions = {}): Promise<Artifact> {
  const spec = parseSpec(options.spec ?? {});
  const architecture = spec.function.architecture;
  const limits = options.limits ?? {
    zipBytes: LIMITS.lambdaZipBytes,
    unzippedBytes: LIMITS.lambdaUnzippedBytes,
  };
  const model = modelOf(spec);
  const modelPath = resolve(model.path);
  const zipPath = resolve(options.outFile ?? `dist/${spec.name}-${architecture}.zip`);

  const [handler, runtime, modelStat] = await Promise.all([
    bundleHandler(options.entry ?? HANDLER_ENTRY),
    runtimeFiles(architecture),
    stat(modelPath).catch(() => {
      throw new RangeError(`model.path: no model file at ${modelPath}`);
    }),
  ]);
  const runtimeBytes = runtime.reduce((sum, file) => sum + file.bytes, 0);
  const unzipped = handler.length + runtimeBytes + modelStat.size;
  if (unzipped > limits.unzippedBytes) {
    throw new ArtifactTooLargeError(
      `artifact too large: handler ${formatMb(handler.length)} + onnxruntime ${NODE_ARCH[architecture]} ${formatMb(runtimeBytes)} + model ${formatMb(modelStat.size)} = ${formatMb(unzipped)} unzipped, over Lambda's ${formatMb(limits.unzippedBytes)} limit`,
    );
  }

  const modelEntry = `model/${model.name}.onnx`;
  const base: ZipSource[] = [
    { entry: "index.mjs", buffer: handler },
    ...runtime.map(({ entry, file }) => ({ entry, file })),
  ];
  const zip = (withModel: boolean) =>
    writeZip(zipPath, withModel ? [...base, { entry: modelEntry, file: modelPath }] : base, {
      ...(options.compressionLevel !== undefined ? { compressionLevel: options.compressionLevel } : {}),
    });

  const wanted = options.modelPlacement ?? "auto";
  let placement: ModelPlacement = wanted === "s3" ? "s3" : "zip";
  await zip(placement === "zip");
  let zipBytes = (await stat(zipPath)).size;
  if (placement === "zip" && zipBytes > limits.zipBytes && wanted === "auto") {
    placement = "s3";
    await zip(false);
    zipBytes = (await stat(zipPath)).size;
  }
  if (zipBytes > limits.zipBytes) {
    throw new ArtifactTooLargeError(
      `artifact too large: the zip is ${formatMb(zipBytes)}${placement === "zip" ? " with the model inside" : " without the model"}, over Lambda's ${formatMb(limits.zipBytes)} direct upload limit${placement === "zip" ? "; let the model go to S3 (modelPlacement 'auto' or 's3')" : ""}`,
    );
  }

  const sizes = await partSizes(zipPath);
  sizes.model.unzipped = modelStat.size;
  sizes.total.unzipped = handler.length + runtimeBytes + (placement === "zip" ? modelStat.size : 0);
  const [zipBuffer, modelBuffer] = await Promise.all([readFile(zipPath), readFile(modelPath)]);
  return {
    zipPath,
    architecture,
    sha256: createHash("sha256").update(zipBuffer).digest("base64"),
    model: {
      name: model.name,
      localPath: modelPath,
      sha256: createHash("sha256").update(modelBuffer).digest("hex"),
      placement,
      ...(placement === "zip" ? { zipEntry: modelEntry } : {}),
    },
    sizes,
  };
}

/** Zipped and unzipped bytes of each part, read back from the zip's central directory. */
async function partSizes(zipPath: string): Promise<Artifact["sizes"]> {
  const part = (): PartSize => ({ zipped: 0, unzipped: 0 });
  const sizes = { handler: part(), runtime: part(), model: part(), total: part() };
  for (const entry of await readZipEntries(zipPath)) {
    const target = entry.name.startsWith("model/")
      ? sizes.model
      : entry.name.startsWith("node_modules/")
        ? sizes.runtime
        : sizes.handler;
    target.zipped += entry.compressedSize;
    target.unzipped += entry.size;
  }
  sizes.total.zipped = (await stat(zipPath)).size;
  sizes.total.unzipped = sizes.handler.unzipped + sizes.runtime.unzipped + sizes.model.unzipped;
  return sizes;
}

/** The size breakdown `modelgate package` prints. */
export function formatBreakdown(artifact: Artifact): string {
  const { sizes, model } = artifact;
  const rows: [string, string, PartSize | undefined, string?][] = [
    ["handler", "index.mjs", sizes.handler],
    ["runtime", `onnxruntime-node linux-${NODE_ARCH[artifact.architecture]}`, sizes.runtime],
    [
      "model",
      `${model.name}.onnx`,
      sizes.model,
      model.placement === "s3" ? "uploaded to S3 at deploy, read into /tmp at init" : "in the zip",
    ],
    [
      "total",
      "",
      sizes.total,
      `limits ${formatMb(LIMITS.lambdaZipBytes)} zipped, ${formatMb(LIMITS.lambdaUnzippedBytes)} unzipped`,
    ],
  ];
  const lines = rows.map(([part, what, size, note]) =>
    [
      part.padEnd(8),
      what.padEnd(30),
      formatMb(size?.unzipped ?? 0).padStart(10),
      `${formatMb(size?.zipped ?? 0)} zipped`.padStart(17),
      note ? `  ${note}` : "",
    ].join(" "),
  );
  return [`${artifact.zipPath} (${artifact.architecture})`, ...lines].join("\n");
}
