import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Artifact,
  ArtifactTooLargeError,
  buildArtifact,
  extractZip,
  formatBreakdown,
  readZipEntries,
} from "../../src/package/index.ts";

const run = promisify(execFile);
const EVENTS = new URL("../fixtures/events/", import.meta.url);

let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "modelgate-artifact-"));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe("the x86_64 artifact (this machine's architecture)", () => {
  let artifact: Artifact;
  let unpacked: string;

  beforeAll(async () => {
    artifact = await buildArtifact({
      spec: { function: { architecture: "x86_64" } },
      outFile: join(workDir, "x64.zip"),
    });
    unpacked = join(workDir, "x64");
    await extractZip(artifact.zipPath, unpacked);
  }, 120_000);

  it("holds the bundled handler, the x64 runtime only, and the model", async () => {
    const names = (await readZipEntries(artifact.zipPath)).map((entry) => entry.name);
    expect(names).toContain("index.mjs");
    expect(names).toContain("model/iris.onnx");
    expect(names).toContain("node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node");
    expect(names).toContain("node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1");
    expect(names).toContain("node_modules/onnxruntime-common/dist/cjs/index.js");
    expect(names.filter((name) => /\/(arm64|darwin|win32)\//.test(name))).toEqual([]);
    expect(names.filter((name) => /\.(ts|map)$/.test(name))).toEqual([]);
    expect(artifact.model).toMatchObject({ placement: "zip", zipEntry: "model/iris.onnx", name: "iris" });
  });

  it("reports sizes within Lambda's limits, part by part", () => {
    const { sizes } = artifact;
    expect(sizes.total.zipped).toBeLessThan(50 * 1024 * 1024);
    expect(sizes.total.unzipped).toBe(sizes.handler.unzipped + sizes.runtime.unzipped + sizes.model.unzipped);
    expect(sizes.runtime.unzipped).toBeGreaterThan(30 * 1024 * 1024);
    expect(sizes.handler.unzipped).toBeLessThan(2 * 1024 * 1024);
    expect(sizes.model.unzipped).toBe(1067);
    const text = formatBreakdown(artifact);
    expect(text).toMatch(/handler\s+index\.mjs/);
    expect(text).toMatch(/runtime\s+onnxruntime-node linux-x64\s+\d+\.\d MB/);
    expect(text).toMatch(/model\s+iris\.onnx .* in the zip/);
  });

  it("predicts when its handler runs in a fresh Node process, as Lambda would run it", async () => {
    const script = `
      import { readFileSync } from "node:fs";
      const { handler } = await import("./index.mjs");
      const results = [];
      for (const name of ["predict-single", "predict-batch", "wrong-shape"]) {
        const event = JSON.parse(readFileSync(new URL(name + ".json", process.env.EVENTS), "utf8"));
        results.push(await handler(event, { awsRequestId: "test" }));
      }
      process.stdout.write("RESULT " + JSON.stringify(results) + "\\n");
    `;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: unpacked,
      env: {
        PATH: process.env.PATH,
        EVENTS: EVENTS.href,
        MODELGATE_MODEL_PATH: join(unpacked, "model/iris.onnx"),
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "2048",
      },
    });
    const line = stdout.split("\n").find((l) => l.startsWith("RESULT "))!;
    const [single, batch, wrong] = JSON.parse(line.slice(7)) as { statusCode: number; body: string }[];
    expect(single!.statusCode).toBe(200);
    expect(JSON.parse(single!.body)).toMatchObject({
      model: "iris",
      classes: ["setosa"],
      outputs: { label: [0] },
    });
    expect(JSON.parse(batch!.body).outputs.label).toEqual([0, 1, 2]);
    expect(wrong!.statusCode).toBe(400);
  });
});

describe("the arm64 artifact", () => {
  it("ships the arm64 native binary and nothing for x64", async () => {
    const artifact = await buildArtifact({ outFile: join(workDir, "arm64.zip"), compressionLevel: 1 });
    const names = (await readZipEntries(artifact.zipPath)).map((entry) => entry.name);
    expect(artifact.architecture).toBe("arm64");
    expect(names).toContain("node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node");
    expect(names).toContain("node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/libonnxruntime.so.1");
    expect(names.filter((name) => name.includes("/x64/"))).toEqual([]);
    const unpacked = join(workDir, "arm64");
    await extractZip(artifact.zipPath, unpacked);
    const binding = await readFile(
      join(unpacked, "node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node"),
    );
    // ELF header: e_machine 0xB7 is AArch64 (x86-64 would be 0x3E).
    expect(binding.readUInt16LE(18)).toBe(0xb7);
  }, 60_000);
});

describe("models too large for the zip", () => {
  let model: string;

  beforeAll(async () => {
    model = join(workDir, "big.onnx");
    // Random bytes do not compress: 2 MB in, about 2 MB in the zip.
    await writeFile(model, randomBytes(2 * 1024 * 1024));
  });

  it("go to S3 when the zip would pass the direct upload limit", async () => {
    const withoutModel = await buildArtifact({
      spec: { model: { path: model } },
      outFile: join(workDir, "s3.zip"),
      compressionLevel: 1,
      modelPlacement: "s3",
    });
    // Room for 1 MB more than handler and runtime: the 2 MB model does not fit.
    const zipBytes = withoutModel.sizes.total.zipped + 1024 * 1024;
    const artifact = await buildArtifact({
      spec: { model: { path: model } },
      outFile: join(workDir, "s3.zip"),
      compressionLevel: 1,
      limits: { zipBytes, unzippedBytes: 250 * 1024 * 1024 },
    });
    const names = (await readZipEntries(artifact.zipPath)).map((entry) => entry.name);
    expect(artifact.model).toMatchObject({ name: "big", placement: "s3", localPath: model });
    expect(artifact.model.zipEntry).toBeUndefined();
    expect(names.some((name) => name.startsWith("model/"))).toBe(false);
    expect(artifact.sizes.model).toEqual({ zipped: 0, unzipped: 2 * 1024 * 1024 });
    expect(artifact.sizes.total.zipped).toBeLessThanOrEqual(zipBytes);
    // Same inputs, same bytes (fixed timestamps, sorted entries): no redeploy when nothing changed.
    expect(artifact.sha256).toBe(withoutModel.sha256);
    expect(formatBreakdown(artifact)).toContain("uploaded to S3");
  }, 60_000);

  it("fail past the unzipped limit, naming every size, before writing anything", async () => {
    const outFile = join(workDir, "too-big.zip");
    const attempt = buildArtifact({
      spec: { model: { path: model } },
      outFile,
      limits: { zipBytes: 50 * 1024 * 1024, unzippedBytes: 20 * 1024 * 1024 },
    });
    await expect(attempt).rejects.toBeInstanceOf(ArtifactTooLargeError);
    await expect(attempt).rejects.toThrow(
      /handler [\d.]+ KB \+ onnxruntime arm64 [\d.]+ MB \+ model 2\.0 MB = [\d.]+ MB unzipped, over Lambda's 20\.0 MB limit/,
    );
    expect(existsSync(outFile)).toBe(false);
  });

  it("name a missing model file", async () => {
    await expect(buildArtifact({ spec: { model: { path: join(workDir, "nope.onnx") } } })).rejects.toThrow(
      /model\.path: no model file at .*nope\.onnx/,
    );
  });
});
