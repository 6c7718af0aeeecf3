import { describe, expect, it } from "vitest";
import { modelOf, parseSpec, SpecError } from "../../src/spec/index.ts";

describe("the endpoint spec", () => {
  it("fills the defaults of the seed endpoint", () => {
    const spec = parseSpec();
    expect(spec.stage).toBe("prod");
    expect(spec.routes).toEqual([{ method: "POST", path: "/model", authorization: "NONE" }]);
    expect(spec.function).toMatchObject({ memoryMb: 2048, timeoutSeconds: 15, architecture: "arm64" });
    expect(spec.integrationTimeoutMs).toBe(29_000);
    expect(modelOf(spec).name).toBe("iris");
  });

  it.each([
    [{ function: { memoryMb: 64 } }, "function.memoryMb: memoryMb must be between 128 and 10240 MB"],
    [{ function: { memoryMb: 20_000 } }, "function.memoryMb: memoryMb must be between 128 and 10240 MB"],
    [
      { function: { timeoutSeconds: 60 } },
      "function.timeoutSeconds: timeoutSeconds must be between 1 and 29 s",
    ],
    [
      { function: { architecture: "sparc" } },
      "function.architecture: architecture must be one of arm64, x86_64",
    ],
    [
      { integrationTimeoutMs: 10 },
      "integrationTimeoutMs: integrationTimeoutMs must be between 50 and 29000 ms",
    ],
    [{ routes: [{ method: "POST", path: "model" }] }, "routes.0.path: must be a resource path"],
  ])("refuses %j, naming the field and the allowed range", (input, message) => {
    expect(() => parseSpec(input as never)).toThrow(SpecError);
    expect(() => parseSpec(input as never)).toThrow(message);
  });

  it("accepts path parameters and a greedy proxy segment", () => {
    const spec = parseSpec({
      routes: [
        { method: "POST", path: "/v2/models/{name}/infer" },
        { method: "ANY", path: "/{proxy+}" },
      ],
    });
    expect(spec.routes.map((route) => route.path)).toEqual(["/v2/models/{name}/infer", "/{proxy+}"]);
  });
});
