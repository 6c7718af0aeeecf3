import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { configFromEnv } from "../../src/lambda/config.ts";
import { downloadModel, parseS3Uri, type S3Location } from "../../src/lambda/model-source.ts";

describe("a model that lives in S3", () => {
  it("parses s3:// URIs and refuses anything else, naming the variable", () => {
    expect(parseS3Uri("s3://my-models/iris/v2/model.onnx")).toEqual({
      bucket: "my-models",
      key: "iris/v2/model.onnx",
    });
    expect(() => parseS3Uri("https://example.com/model.onnx")).toThrow(
      "MODELGATE_MODEL_S3_URI must look like",
    );
  });

  it("is read from MODELGATE_MODEL_S3_URI", () => {
    expect(configFromEnv({ MODELGATE_MODEL_S3_URI: "s3://b/m.onnx" }).modelS3Uri).toBe("s3://b/m.onnx");
  });

  it("is downloaded to /tmp once per environment, then reused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "modelgate-s3-"));
    const fetched: S3Location[] = [];
    const fetcher = async (location: S3Location) => {
      fetched.push(location);
      return Readable.from([Buffer.from("onnx-bytes")]);
    };
    const first = await downloadModel("s3://bucket-a/models/big.onnx", dir, fetcher);
    const second = await downloadModel("s3://bucket-a/models/big.onnx", dir, fetcher);
    expect(first).toBe(join(dir, "big.onnx"));
    expect(second).toBe(first);
    expect(readFileSync(first, "utf8")).toBe("onnx-bytes");
    expect(fetched).toEqual([{ bucket: "bucket-a", key: "models/big.onnx" }]);
  });

  it("leaves no half-written model behind when the download fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "modelgate-s3-"));
    const failing = async () =>
      new Readable({
        read() {
          this.destroy(new Error("connection reset"));
        },
      });
    await expect(downloadModel("s3://bucket-a/big.onnx", dir, failing)).rejects.toThrow("connection reset");
    const ok = async () => Readable.from([Buffer.from("complete")]);
    const path = await downloadModel("s3://bucket-a/big.onnx", dir, ok);
    expect(readFileSync(path, "utf8")).toBe("complete");
  });
});
