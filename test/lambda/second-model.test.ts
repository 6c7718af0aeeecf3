import type { APIGatewayProxyResult } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProxyHandler } from "../../src/lambda/handler.ts";
import { writeTaggerModel } from "../fixtures/models/tagger.ts";
import { predictEvent } from "../helpers/events.ts";

const json = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown>;

/** The deployed entry point (`index.handler`), pointed at a different model by environment only. */
describe("the same handler module serving a second, different model", () => {
  let handler: ProxyHandler;

  beforeAll(async () => {
    process.env.MODELGATE_MODEL_PATH = writeTaggerModel();
    process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
    ({ handler } = await import("../../src/lambda/index.ts"));
  });

  it("takes int64, bool and string inputs and returns int64, bool and string outputs", async () => {
    const result = await handler(
      predictEvent({
        inputs: {
          ids: [
            [1, 2, 3],
            ["9007199254740993", 10, 20],
          ],
          mask: [
            [true, false, true],
            [true, false, false],
          ],
          tag: ["alpha", "βeta"],
        },
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual({
      model: "tagger",
      outputs: {
        // 2^53 + 1 is not a safe integer: it comes back as a decimal string, exact.
        masked: [
          [1, 0, 3],
          ["9007199254740993", 0, 0],
        ],
        inverted: [
          [false, true, false],
          [false, true, true],
        ],
        tag_echo: ["alpha", "βeta"],
      },
    });
  });

  it("accepts rows of named inputs in the instances form", async () => {
    const result = await handler(
      predictEvent({
        instances: [
          { ids: [1, 1, 1], mask: [true, true, true], tag: "a" },
          { ids: [5, 6, 7], mask: [false, true, false], tag: "b" },
        ],
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(json(result).predictions).toEqual([
      { masked: [1, 1, 1], inverted: [false, false, false], tag_echo: "a" },
      { masked: [0, 6, 0], inverted: [true, false, true], tag_echo: "b" },
    ]);
  });

  it.each([
    [
      { inputs: [[1, 2, 3]] },
      `the model has 3 inputs; name them: {"inputs": {"ids": ..., "mask": ..., "tag": ...}}`,
    ],
    [
      { inputs: { ids: [[1, 2, 3]], mask: [[1, 0, 1]], tag: ["x"] } },
      "input 'mask': expected a boolean at [0][0], got number",
    ],
    [
      { inputs: { ids: [[1.5, 2, 3]], mask: [[true, true, true]], tag: ["x"] } },
      "input 'ids': expected a safe integer or a decimal string (int64) at [0][0], got number",
    ],
    [{ inputs: { ids: [[1, 2, 3]], mask: [[true, true, true]] } }, "missing input 'tag' (string [-1])"],
    [
      {
        instances: [
          { ids: [1, 1, 1], mask: [true, true, true], tag: "a" },
          { ids: [1, 1, 1], tag: "b" },
        ],
      },
      "input 'mask': present in 1 of 2 instances",
    ],
  ])("rejects %j naming the field", async (body, message) => {
    const result = await handler(predictEvent(body));
    expect(result.statusCode).toBe(400);
    expect(json(result).message).toBe(message);
  });
});
