import type { APIGatewayProxyResult } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { Model } from "../../src/inference/model.ts";
import { createHandler, type ProxyHandler } from "../../src/lambda/handler.ts";
import { EXAMPLE_MODEL_PATH } from "../../src/spec/defaults.ts";
import { LIMITS } from "../../src/spec/limits.ts";
import { loadEvent, predictEvent } from "../helpers/events.ts";
import { recordingLogger } from "../helpers/logger.ts";

const json = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown>;

describe("POST /model with the iris model (golden events)", () => {
  let model: Model;
  let handler: ProxyHandler;
  const logger = recordingLogger();

  beforeAll(async () => {
    model = await Model.load(EXAMPLE_MODEL_PATH);
    handler = createHandler({ model, logger });
  });

  it("predicts a single row", async () => {
    const result = await handler(loadEvent("predict-single"));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ "Content-Type": "application/json" });
    const body = json(result);
    expect(body.model).toBe("iris");
    expect(body.classes).toEqual(["setosa"]);
    const outputs = body.outputs as { probabilities: number[][]; label: number[] };
    expect(outputs.label).toEqual([0]);
    expect(outputs.probabilities).toHaveLength(1);
    expect(outputs.probabilities[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("predicts a batch of named inputs", async () => {
    const body = json(await handler(loadEvent("predict-batch")));
    expect((body.outputs as { label: number[] }).label).toEqual([0, 1, 2]);
    expect(body.classes).toEqual(["setosa", "versicolor", "virginica"]);
  });

  it("answers the instances form with predictions, one per row, with the class named", async () => {
    const result = await handler(loadEvent("predict-instances"));
    expect(result.statusCode).toBe(200);
    const predictions = json(result).predictions as Array<Record<string, unknown>>;
    expect(predictions.map((p) => [p.label, p.class])).toEqual([
      [0, "setosa"],
      [2, "virginica"],
    ]);
    expect(predictions[0]!.probabilities).toHaveLength(3);
  });

  it("decodes a base64 body", async () => {
    const result = await handler(loadEvent("predict-base64"));
    expect(result.statusCode).toBe(200);
    expect(json(result).classes).toEqual(["virginica"]);
  });

  const errorCases: Array<[string, number, string | RegExp]> = [
    ["invalid-json", 400, /^request body is not valid JSON: /],
    ["missing-input", 400, "missing input 'features' (float32 [-1,4])"],
    ["unknown-input", 400, "unknown input 'petals': the model's inputs are 'features'"],
    ["wrong-shape", 400, "input 'features': expected shape [-1,4], got [2,5]"],
    ["wrong-dtype", 400, "input 'features': expected a number (float32) at [0][1], got string"],
    ["ragged", 400, "input 'features': ragged array at [1]: expected 4 elements, got 2"],
    [
      "wrong-content-type",
      415,
      "unsupported Content-Type 'application/x-www-form-urlencoded': send application/json",
    ],
    ["invalid-base64", 400, "body is marked isBase64Encoded but is not valid base64"],
    ["get-method", 405, "method GET is not allowed on /model: use POST"],
  ];

  it.each(errorCases)("%s -> %i with a message naming the problem", async (name, status, message) => {
    const result = await handler(loadEvent(name));
    expect(result.statusCode).toBe(status);
    expect(result.headers).toMatchObject({ "Content-Type": "application/json" });
    const body = json(result);
    expect(body.message).toEqual(typeof message === "string" ? message : expect.stringMatching(message));
    expect(typeof body.error).toBe("string");
  });

  it("refuses a body over Lambda's 6 MB payload with 413", async () => {
    const padding = " ".repeat(LIMITS.lambdaPayloadBytes);
    const result = await handler(predictEvent({ inputs: [[1, 2, 3, 4]] }, { body: `${padding}{}` }));
    expect(result.statusCode).toBe(413);
    expect(json(result).message).toContain(`limit is ${LIMITS.lambdaPayloadBytes} bytes`);
  });

  it.each([
    [
      { inputs: [[1, 2, 3, 4]], instances: [[1, 2, 3, 4]] },
      `request body must have exactly one of "inputs" or "instances"`,
    ],
    [[1, 2, 3], `request body must be a JSON object with "inputs" or "instances"`],
    [{ instances: [] }, `'instances' must be a non-empty array of rows`],
    [{ inputs: [] }, "input 'features': expected shape [-1,4], got [0]"],
    [{ inputs: [[1, 2, 3, 4], 5] }, "input 'features': ragged array at [1]: expected an array of 4"],
    [
      { inputs: [[1, 2, 3, [4]]] },
      "input 'features': ragged array at [0][3]: expected a scalar, got an array",
    ],
    [{ inputs: [[1, 2, null, 4]] }, "input 'features': expected a number (float32) at [0][2], got null"],
  ])("rejects %j", async (body, message) => {
    const result = await handler(predictEvent(body));
    expect(result.statusCode).toBe(400);
    expect(json(result).message).toBe(message);
  });

  it("rejects an empty body and invalid UTF-8", async () => {
    expect(json(await handler(predictEvent(null, { body: null }))).message).toMatch(/request body is empty/);
    const invalidUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64");
    const result = await handler(predictEvent(null, { body: invalidUtf8, isBase64Encoded: true }));
    expect(result.statusCode).toBe(400);
    expect(json(result).message).toBe("body is not valid UTF-8");
  });

  it("accepts JSON media types with parameters and no Content-Type at all", async () => {
    const vendor = predictEvent(
      { inputs: [[5.1, 3.5, 1.4, 0.2]] },
      {
        headers: { "content-type": "application/vnd.api+json; charset=UTF-8" },
        multiValueHeaders: {},
      },
    );
    expect((await handler(vendor)).statusCode).toBe(200);
    const none = predictEvent({ inputs: [[5.1, 3.5, 1.4, 0.2]] }, { headers: {}, multiValueHeaders: {} });
    expect((await handler(none)).statusCode).toBe(200);
    const latin1 = predictEvent(
      { inputs: [[5.1, 3.5, 1.4, 0.2]] },
      {
        headers: { "Content-Type": "application/json; charset=iso-8859-1" },
        multiValueHeaders: {},
      },
    );
    expect((await handler(latin1)).statusCode).toBe(415);
  });

  it("logs ids, latency and status for every invocation, never the body", async () => {
    logger.lines.length = 0;
    await handler(loadEvent("predict-single"));
    await handler(loadEvent("wrong-shape"));
    const invocations = logger.lines.filter((line) => line.message === "invocation");
    expect(invocations.map((line) => line.extra.status)).toEqual([200, 400]);
    expect(invocations[0]!.extra).toMatchObject({
      requestId: "8f0b1a2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c",
      model: "iris",
    });
    expect(typeof invocations[0]!.extra.latencyMs).toBe("number");
    expect(JSON.stringify(logger.lines)).not.toContain("5.1");
  });
});

describe("unexpected failures", () => {
  it("answer a generic 500 and log the cause", async () => {
    const model = await Model.load(EXAMPLE_MODEL_PATH);
    Object.defineProperty(model, "run", {
      value: async () => {
        throw new Error("native session exploded: secret detail");
      },
    });
    const logger = recordingLogger();
    const handler = createHandler({ model, logger });
    const result = await handler(loadEvent("predict-single"));
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toEqual({
      error: "InternalServerError",
      message: "Internal server error",
    });
    expect(result.body).not.toContain("secret");
    const logged = logger.lines.find((line) => line.level === "error");
    expect(logged).toBeDefined();
    expect((logged!.extra.error as Error).message).toContain("secret detail");
  });
});
