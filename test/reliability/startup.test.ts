import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startLocalEndpoint } from "../../src/gateway/index.ts";
import { type FunctionPool, parseHandlerRef, startFunction } from "../../src/runtime/index.ts";
import { createMemoryLogger } from "../../src/runtime/logger.ts";
import { parseSpec } from "../../src/spec/index.ts";
import { request } from "../helpers/http.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX_CLI = fileURLToPath(import.meta.resolve("tsx/cli"));
const ECHO = fileURLToPath(new URL("../fixtures/handlers/echo.mjs", import.meta.url));

function serve(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX_CLI, "src/cli/index.ts", "serve", "--port", "0", ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("an init failure is reported clearly at startup", () => {
  it("`modelgate serve --model <missing>` exits 1 naming the file and the cause", async () => {
    const missing = join(tmpdir(), "modelgate-startup-missing.onnx");
    const { code, output } = await serve(["--model", missing]);
    expect(code).toBe(1);
    expect(output).toContain("the function failed to initialise");
    expect(output).toContain(`cannot load model '${missing}'`);
    expect(output).toContain("ENOENT");
    expect(output).not.toContain("modelgate serving");
  });
});

describe("environments started ahead of traffic", () => {
  let pool: FunctionPool | undefined;
  afterEach(async () => {
    await pool?.close();
  });

  it.each([
    [false, true],
    [true, false],
  ])("provisioned=%s: the first invocation reports Init Duration: %s", async (provisioned, reportsInit) => {
    const logger = createMemoryLogger("info");
    pool = await startFunction({ handler: parseHandlerRef(ECHO), logger });
    const outcomes = await pool.provision(1, { provisioned });
    expect(outcomes).toEqual([{ ok: true, initDurationMs: expect.any(Number) }]);
    expect(pool.environments().map((e) => e.state)).toEqual(["idle"]);
    const outcome = await pool.invoke(JSON.stringify({ body: null, requestContext: { requestId: "r" } }));
    expect(outcome.status).toBe("ok");
    const report = logger.records.find((record) => record.type === "platform.report");
    expect(String(report?.message).includes("Init Duration")).toBe(reportsInit);
    expect(pool.environments()).toHaveLength(1);
  });

  it("keeps provisioned environments through the idle timeout and reaps on-demand ones", async () => {
    pool = await startFunction({ handler: parseHandlerRef(ECHO), idleTimeoutMs: 50 });
    await pool.provision(1, { provisioned: true });
    const provisionedPid = pool.environments()[0]!.pid;
    // Two concurrent invocations: the second needs an on-demand environment.
    const event = JSON.stringify({ body: null, requestContext: { requestId: "r" } });
    await Promise.all([pool.invoke(event), pool.invoke(event)]);
    expect(pool.environments()).toHaveLength(2);
    await vi.waitFor(() => expect(pool!.environments().map((e) => e.pid)).toEqual([provisionedPid]), {
      timeout: 5_000,
    });
  });

  it("startLocalEndpoint initialises the spec's provisioned concurrency before the first request", async () => {
    const logger = createMemoryLogger("info");
    const endpoint = await startLocalEndpoint({
      spec: parseSpec({ function: { provisionedConcurrency: 2 } }),
      handler: parseHandlerRef(ECHO),
      port: 0,
      logger,
    });
    try {
      expect(endpoint.provisioned.map((outcome) => outcome.ok)).toEqual([true, true]);
      expect(endpoint.pool.environments().map((e) => e.state)).toEqual(["idle", "idle"]);
      const reply = await request(`${endpoint.url}/model`, { method: "POST", body: "{}" });
      expect(reply.status).toBe(200);
      const report = logger.records.find((record) => record.type === "platform.report");
      expect(String(report?.message)).not.toContain("Init Duration");
      expect(endpoint.pool.environments()).toHaveLength(2);
    } finally {
      await endpoint.close();
    }
  });
});
