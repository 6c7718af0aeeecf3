import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Model } from "../../src/inference/model.ts";
import { createHandler, type ProxyHandler } from "../../src/lambda/handler.ts";
import { EXAMPLE_MODEL_PATH } from "../../src/spec/defaults.ts";
import { writeTaggerModel } from "../fixtures/models/tagger.ts";
import { loadEvent } from "../helpers/events.ts";
import { mutate, mutations, tensorish, VALID } from "../helpers/http-fuzz.ts";
import { recordingLogger } from "../helpers/logger.ts";

/**
 * Whatever a client sends, the handler answers: 200, or a 4xx whose JSON body names the
 * problem. A 5xx here is a crash found by the fuzzer and becomes a regression test.
 */
const ALLOWED = new Set([200, 400, 405, 413, 415]);
const RUNS = 400;
let cases = 0;
const failures: Array<{ status: number; body: string }> = [];

function check(result: APIGatewayProxyResult): boolean {
  cases++;
  const body = JSON.parse(result.body) as { message?: unknown };
  const ok =
    ALLOWED.has(result.statusCode) && (result.statusCode === 200 || typeof body.message === "string");
  if (!ok) failures.push({ status: result.statusCode, body: result.body });
  return ok;
}

/** Byte-level mutations of a valid body: flips, deletions, insertions, truncation. */
const mutatedBody = mutations.map((list) => mutate(Buffer.from(VALID), list));

const requestish = fc.oneof(
  tensorish.map((inputs) => ({ inputs })),
  tensorish.map((instances) => ({ instances })),
  fc
    .dictionary(fc.constantFrom("features", "ids", "mask", "tag", "other"), tensorish)
    .map((inputs) => ({ inputs })),
  fc
    .array(fc.dictionary(fc.constantFrom("ids", "mask", "tag", "x"), tensorish), { maxLength: 4 })
    .map((instances) => ({
      instances,
    })),
  fc.jsonValue(),
);

describe.each([
  ["iris", () => EXAMPLE_MODEL_PATH],
  ["tagger (int64, bool, string inputs)", writeTaggerModel],
])("fuzzing the handler with the %s model", (_name, modelPath) => {
  let handler: ProxyHandler;
  const event = (overrides: Partial<APIGatewayProxyEvent>) => loadEvent("predict-single", overrides);

  beforeAll(async () => {
    handler = createHandler({ model: await Model.load(modelPath()), logger: recordingLogger() });
  });

  it("answers structured garbage with 200 or a named 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(requestish, async (body) =>
        check(await handler(event({ body: JSON.stringify(body) }))),
      ),
      { numRuns: RUNS, seed: 20261126 },
    );
  });

  it("answers byte-mutated bodies (raw and base64) with 200 or a named 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody, fc.boolean(), async (bytes, base64) => {
        const body = base64 ? bytes.toString("base64") : bytes.toString("latin1");
        return check(await handler(event({ body, isBase64Encoded: base64 })));
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });

  it("answers random text, invalid base64 and odd headers with a named 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.boolean(),
        fc.option(fc.string({ maxLength: 40 })),
        async (body, base64, contentType) => {
          const headers = contentType === null ? {} : { "Content-Type": contentType };
          return check(
            await handler(event({ body, isBase64Encoded: base64, headers, multiValueHeaders: {} })),
          );
        },
      ),
      { numRuns: RUNS, seed: 99 },
    );
  });
});

describe("fuzz regressions", () => {
  it("refuses 100,000 levels of nesting without a stack overflow", async () => {
    const handler = createHandler({ model: await Model.load(EXAMPLE_MODEL_PATH), logger: recordingLogger() });
    const deep = `{"inputs": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const result = await handler(loadEvent("predict-single", { body: deep }));
    expect([400]).toContain(result.statusCode);
    expect(check(result)).toBe(true);
  });
});

afterAll(() => {
  console.log(`handler fuzz: ${cases} cases, ${failures.length} outside 200/4xx`);
  expect(failures).toEqual([]);
});
