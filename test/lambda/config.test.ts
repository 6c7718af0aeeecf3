import { describe, expect, it } from "vitest";
import { configFromEnv } from "../../src/lambda/config.ts";
import { EXAMPLE_MODEL_PATH } from "../../src/spec/defaults.ts";
import { vcpusForMemory } from "../../src/spec/limits.ts";

describe("handler configuration from the environment", () => {
  it("defaults to the bundled example model", () => {
    expect(configFromEnv({})).toEqual({ modelPath: EXAMPLE_MODEL_PATH });
  });

  it("reads the model, name, threads and Lambda's memory size", () => {
    const config = configFromEnv({
      MODELGATE_MODEL_PATH: "/opt/model.onnx",
      MODELGATE_MODEL_NAME: "resnet",
      MODELGATE_THREADS: "3",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "3538",
    });
    expect(config).toEqual({ modelPath: "/opt/model.onnx", modelName: "resnet", threads: 3, memoryMb: 3538 });
  });

  it("refuses a thread count that is not a positive integer, naming the variable", () => {
    expect(() => configFromEnv({ MODELGATE_THREADS: "two" })).toThrow(
      "MODELGATE_THREADS must be a positive integer, got 'two'",
    );
  });
});

describe("threads follow the vCPUs Lambda gives a memory size", () => {
  it.each([
    [128, 1],
    [1769, 1],
    [2048, 2],
    [3538, 2],
    [3539, 3],
    [10240, 6],
  ])("%i MB -> %i vCPUs", (memoryMb, vcpus) => {
    expect(vcpusForMemory(memoryMb)).toBe(vcpus);
  });
});
