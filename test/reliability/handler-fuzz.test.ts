import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Model } from "../../src/inference/model.ts";
import { createHandler, type ProxyHandler } from "../../src/lambda/handler.ts";
import { EXAMPLE_MODEL_PATH } from "../../src/spec/defaults.ts";
import { writeTaggerModel } from "../fixtures/models/tagger.ts";
import { loadEvent } from "../helpers/events.ts";
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

const VALID = '{"inputs": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}';

/** Byte-level mutations of a valid body: flips, deletions, insertions, truncation. */
const mutatedBody = fc
  .array(
    fc.record({
      kind: fc.constantFrom("flip", "delete", "insert", "truncate"),
      at: fc.nat(),
      byte: fc.integer({ min: 0, max: 255 }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((mutations) => {
    let bytes = Buffer.from(VALID);
    for (const { kind, at, byte } of mutations) {
      const i = at % Math.max(1, bytes.length);
      if (kind === "flip") bytes[i] = byte;
      else if (kind === "delete") bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
      else if (kind === "insert")
        bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
      else bytes = bytes.subarray(0, i);
    }
    return bytes;
  });

/** Values shaped like requests but wrong in every way: ragged, deep, huge, odd types. */
const tensorish: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.double(),
    fc.integer(),
    fc.bigInt().map(String),
    fc.constantFrom("NaN", "Infinity", "-Infinity", "1e400", "", null, true, {}),
    fc.string(),
    fc.array(tie("value"), { maxLength: 6 }),
  ),
})).value;

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
