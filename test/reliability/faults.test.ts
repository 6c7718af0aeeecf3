import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/gateway/index.ts";
import { createMemoryLogger, parseHandlerRef } from "../../src/runtime/index.ts";
import { type EndpointSpecInput, parseSpec } from "../../src/spec/index.ts";
import { json, request } from "../helpers/http.ts";
import { Tally } from "../helpers/tally.ts";

/**
 * Faults inside execution environments: each fails only the affected request with the
 * documented status (502 from API Gateway for a function error), and the next request gets a
 * fresh environment.
 */
const FAULTS = fileURLToPath(new URL("../fixtures/handlers/reliability/faults.mjs", import.meta.url));
const INIT_ERROR = fileURLToPath(new URL("../fixtures/handlers/init-error.mjs", import.meta.url));
const MODELGATE = fileURLToPath(new URL("../../src/lambda/index.ts", import.meta.url));
const INTERNAL_ERROR = { message: "Internal server error" };

const tally = new Tally();
let endpoint: LocalEndpoint | undefined;
let logger = createMemoryLogger("info");

async function start(
  handler: string,
  spec: EndpointSpecInput = {},
  environment: Record<string, string> = {},
) {
  logger = createMemoryLogger("info");
  endpoint = await startLocalEndpoint({
    spec: parseSpec({ routes: [{ method: "POST", path: "/model" }], ...spec }),
    handler: parseHandlerRef(handler),
    port: 0,
    environment,
    logger,
  });
  return endpoint;
}

async function post(body: unknown) {
  tally.sent++;
  const reply = await request(`${endpoint!.url}/model`, {
    method: "POST",
    headers: [["Content-Type", "application/json"]],
    body: JSON.stringify(body),
  });
  return tally.record(reply);
}

/** Resolves once the runtime has logged `count` records of `type` (e.g. START lines). */
function logged(type: string, count: number): Promise<void> {
  return vi.waitFor(
    () =>
      expect(logger.records.filter((record) => record.type === type).length).toBeGreaterThanOrEqual(count),
    { timeout: 10_000, interval: 5 },
  );
}

afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

afterAll(() => {
  console.log(tally.summary("fault injection"));
  expect(tally.lost).toBe(0);
  expect(tally.duplicated).toBe(0);
});

describe("faults in execution environments", () => {
  it("an environment killed mid-request (SIGKILL) fails that request with 502; the next one gets a fresh environment", async () => {
    await start(FAULTS);
    const first = json<{ pid: number }>(await post({}));
    const slow = post({ sleepMs: 10_000 });
    // The START of the second invocation: the environment is busy with the slow request now.
    await logged("platform.start", 2);
    process.kill(first.pid, "SIGKILL");
    const killed = await slow;
    expect(killed.status).toBe(502);
    expect(json(killed)).toEqual(INTERNAL_ERROR);
    expect(killed.headers["x-amzn-errortype"]).toBe("InternalServerErrorException");
    const next = await post({});
    expect(next.status).toBe(200);
    expect(json<{ pid: number }>(next).pid).not.toBe(first.pid);
    expect(logger.records.some((record) => String(record.message).includes("signal: SIGKILL"))).toBe(true);
  });

  it("an environment that hangs past its timeout fails that request with 502; the next one starts cold", async () => {
    await start(FAULTS, { function: { timeoutSeconds: 1 } });
    const first = json<{ pid: number }>(await post({}));
    const hung = await post({ hang: true });
    expect(hung.status).toBe(502);
    expect(json(hung)).toEqual(INTERNAL_ERROR);
    expect(
      logger.records.some((record) => String(record.message).includes("Task timed out after 1.00 seconds")),
    ).toBe(true);
    const next = await post({});
    expect(next.status).toBe(200);
    expect(json<{ pid: number }>(next).pid).not.toBe(first.pid);
  });

  it("an environment that passes its memory size is killed (Runtime.OutOfMemory): 502, then a fresh one", async () => {
    await start(FAULTS, { function: { memoryMb: 192 } });
    const first = json<{ pid: number }>(await post({}));
    const hog = await post({ allocateMb: 1024 });
    expect(hog.status).toBe(502);
    expect(json(hog)).toEqual(INTERNAL_ERROR);
    const report = logger.records.find(
      (record) => record.type === "platform.report" && record.status === "error",
    );
    expect(report?.message).toMatch(/Max Memory Used: (19\d|2\d\d) MB/);
    expect(logger.records.some((record) => record.errorType === "Runtime.OutOfMemory")).toBe(true);
    const next = await post({});
    expect(next.status).toBe(200);
    expect(json<{ pid: number }>(next).pid).not.toBe(first.pid);
  });

  it("a process exit fails only its request; concurrent requests on other environments succeed", async () => {
    await start(FAULTS);
    const [crashed, ...others] = await Promise.all([
      post({ exit: true }),
      post({ sleepMs: 200 }),
      post({ sleepMs: 200 }),
    ]);
    expect(crashed!.status).toBe(502);
    expect(others.map((reply) => reply.status)).toEqual([200, 200]);
  });

  it("a handler that throws during init answers 502 on every request, each from a fresh environment", async () => {
    await start(INIT_ERROR);
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = await post({});
      expect(reply.status).toBe(502);
      expect(json(reply)).toEqual(INTERNAL_ERROR);
    }
    const initReports = logger.records.filter((record) => record.type === "platform.initReport");
    expect(initReports).toHaveLength(2);
    expect(logger.records.some((record) => String(record.message).includes("cannot load the model"))).toBe(
      true,
    );
    await vi.waitFor(() => expect(endpoint!.pool.environments()).toEqual([]), { timeout: 5_000 });
  });

  it.each([
    ["missing", () => join(tmpdir(), "modelgate-no-such-model.onnx"), "ENOENT"],
    [
      "corrupt",
      () => {
        const path = join(tmpdir(), `modelgate-corrupt-${process.pid}.onnx`);
        writeFileSync(path, "this is not an onnx model");
        return path;
      },
      "protobuf parsing failed",
    ],
  ])("a %s model file fails init with 502 and a log naming the file", async (_kind, modelPath, cause) => {
    const path = modelPath();
    await start(MODELGATE, {}, { MODELGATE_MODEL_PATH: path });
    const reply = await post({ inputs: [[5.1, 3.5, 1.4, 0.2]] });
    expect(reply.status).toBe(502);
    const initError = logger.records.find(
      (record) =>
        String(record.message).includes(`cannot load model '${path}'`) &&
        String(record.message).includes(cause),
    );
    expect(initError).toBeDefined();
  });
});
