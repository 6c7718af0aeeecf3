import { describe, expect, it } from "vitest";
import { localThreads, modelVariables } from "../../src/gateway/index.ts";
import { parseSpec } from "../../src/spec/index.ts";

describe("local environment variables for modelgate's handler", () => {
  it("shares this machine's cores between environments, never above Lambda's vCPUs", () => {
    // 10 environments on 2 cores: one thread each, not the 2 vCPUs of 2048 MB.
    expect(localThreads(parseSpec({}), 2)).toBe(1);
    // 2 environments on 16 cores: Lambda's 2 vCPUs at 2048 MB is the ceiling.
    expect(localThreads(parseSpec({ function: { reservedConcurrency: 2 } }), 16)).toBe(2);
    // 10,240 MB gives 6 vCPUs on Lambda; one environment on 4 cores gets 4.
    expect(localThreads(parseSpec({ function: { reservedConcurrency: 1, memoryMb: 10_240 } }), 4)).toBe(4);
  });

  it("uses the spec's threads when set", () => {
    expect(localThreads(parseSpec({ function: { threads: 3 } }), 2)).toBe(3);
  });

  it("names the model and its path", () => {
    const variables = modelVariables(parseSpec({ model: { path: "/m/resnet.onnx" } }));

    expect(variables).toMatchObject({
      MODELGATE_MODEL_PATH: "/m/resnet.onnx",
      MODELGATE_MODEL_NAME: "resnet",
    });
    expect(Number(variables.MODELGATE_THREADS)).toBeGreaterThanOrEqual(1);
  });
});
