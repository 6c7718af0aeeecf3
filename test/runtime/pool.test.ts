import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import {
  createMemoryLogger,
  type FunctionOptions,
  type FunctionPool,
  type InvokeOutcome,
  parseHandlerRef,
  startFunction,
} from "../../src/runtime/index.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/handlers/${name}`, import.meta.url));

/** An event for the echo fixture: `mode` selects its behaviour. */
const event = (query: Record<string, string> = {}) => JSON.stringify({ queryStringParameters: query });

interface Echoed {
  event: Record<string, unknown>;
  context: Record<string, unknown>;
  env: Record<string, string>;
  pid: number;
  invocations: number;
}

function echoed(outcome: InvokeOutcome): Echoed {
  if (outcome.status !== "ok") throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return JSON.parse((outcome.result as { body: string }).body) as Echoed;
}

const pools: FunctionPool[] = [];
let logger = createMemoryLogger();

async function start(name: string, options: Partial<FunctionOptions> = {}): Promise<FunctionPool> {
  logger = createMemoryLogger();
  const pool = await startFunction({ handler: parseHandlerRef(fixture(name)), logger, ...options });
  pools.push(pool);
  return pool;
}

const messages = () => logger.records.map((r) => r.message);

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe("execution environments", () => {
  it("reuses the same warm environment; only the cold start reports Init Duration", async () => {
    // Prepare
    const pool = await start("echo.mjs");

    // Act
    const first = echoed(await pool.invoke(event()));
    const second = echoed(await pool.invoke(event()));

    // Assess
    expect(second.pid).toBe(first.pid);
    expect([first.invocations, second.invocations]).toEqual([1, 2]);
    const reports = messages().filter((m) => m.startsWith("REPORT"));
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatch(
      /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 2048 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms$/,
    );
    expect(reports[1]).not.toContain("Init Duration");
    const starts = messages().filter((m) => m.startsWith("START RequestId: "));
    const ends = messages().filter((m) => m.startsWith("END RequestId: "));
    expect(starts).toHaveLength(2);
    expect(ends).toHaveLength(2);
    expect(starts[0]).toContain(first.context.awsRequestId as string);
    expect(starts[0]).toMatch(/ Version: \$LATEST$/);
    expect(pool.environments()).toHaveLength(1);
  });

  it("sets Lambda's variables and passes a real-shaped Context", async () => {
    const pool = await start("echo.mjs", {
      functionName: "iris-fn",
      memoryMb: 512,
      timeoutSeconds: 7,
      region: "eu-west-1",
      environment: { MODELGATE_MODEL_PATH: "/models/x.onnx" },
    });

    const { context, env } = echoed(await pool.invoke(event()));

    expect(context).toMatchObject({
      functionName: "iris-fn",
      functionVersion: "$LATEST",
      memoryLimitInMB: "512",
      invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:iris-fn",
      logGroupName: "/aws/lambda/iris-fn",
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.remainingTimeInMillis).toBeGreaterThan(0);
    expect(context.remainingTimeInMillis).toBeLessThanOrEqual(7_000);
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(env).toEqual({
      AWS_LAMBDA_FUNCTION_NAME: "iris-fn",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
      AWS_LAMBDA_LOG_STREAM_NAME: context.logStreamName,
      AWS_REGION: "eu-west-1",
      TZ: ":UTC",
      _HANDLER: "echo.handler",
      MODELGATE_MODEL_PATH: "/models/x.onnx",
    });
  });

  it("scales out to one environment per concurrent request, and throttles beyond the limit", async () => {
    const pool = await start("echo.mjs", { concurrency: 3 });
    const slow = event({ mode: "sleep", ms: "600" });

    const running = [pool.invoke(slow), pool.invoke(slow), pool.invoke(slow)];
    const throttled = await pool.invoke(event());
    const results = (await Promise.all(running)).map(echoed);

    expect(throttled).toEqual({ status: "throttled" });
    expect(new Set(results.map((r) => r.pid)).size).toBe(3);
    expect(pool.environments()).toHaveLength(3);
    // Once they are free, a request is served again (by a warm environment).
    const after = echoed(await pool.invoke(event()));
    expect(results.map((r) => r.pid)).toContain(after.pid);
  });

  it("refuses an event over Lambda's 6 MB request payload without starting an environment", async () => {
    const pool = await start("echo.mjs");

    const outcome = await pool.invoke(JSON.stringify({ body: "x".repeat(6 * 1024 * 1024) }));

    expect(outcome).toEqual({ status: "request-too-large" });
    expect(pool.environments()).toHaveLength(0);
  });

  it("reserved concurrency 0 throttles every invoke", async () => {
    const pool = await start("echo.mjs", { concurrency: 0 });

    expect(await pool.invoke(event())).toEqual({ status: "throttled" });
    expect(pool.environments()).toHaveLength(0);
  });

  it("reaps idle environments (scale to zero); the next request starts cold", async () => {
    const pool = await start("echo.mjs", { idleTimeoutMs: 200 });
    const first = echoed(await pool.invoke(event()));

    await vi.waitFor(() => expect(pool.environments()).toHaveLength(0), { timeout: 10_000, interval: 50 });
    const second = echoed(await pool.invoke(event()));

    expect(second.pid).not.toBe(first.pid);
    expect(second.invocations).toBe(1);
    expect(messages().filter((m) => m.includes("Init Duration"))).toHaveLength(2);
  });

  it("a function timeout fails the invocation and resets the environment", async () => {
    const pool = await start("echo.mjs", { timeoutSeconds: 1 });
    const before = echoed(await pool.invoke(event()));

    const timedOut = await pool.invoke(event({ mode: "sleep", ms: "20000" }));
    const after = echoed(await pool.invoke(event()));

    expect(timedOut).toEqual({
      status: "function-error",
      errorType: "Sandbox.Timedout",
      errorMessage: "Task timed out after 1.00 seconds",
    });
    expect(after.pid).not.toBe(before.pid);
    expect(after.invocations).toBe(1);
    expect(messages().some((m) => m.endsWith("Task timed out after 1.00 seconds"))).toBe(true);
    expect(messages().some((m) => m.startsWith("REPORT") && m.includes("Status: timeout"))).toBe(true);
  });

  it("a crash fails only its in-flight request; other environments keep serving", async () => {
    const pool = await start("echo.mjs", { concurrency: 2 });

    const [crashed, survived] = await Promise.all([
      pool.invoke(event({ mode: "exit" })),
      pool.invoke(event({ mode: "sleep", ms: "300" })),
    ]);
    const killed = await pool.invoke(event({ mode: "kill" }));
    const next = await pool.invoke(event());

    expect(crashed).toMatchObject({ status: "function-error", errorType: "Runtime.ExitError" });
    expect((crashed as { errorMessage: string }).errorMessage).toContain("exit status 3");
    expect(killed).toMatchObject({ status: "function-error", errorType: "Runtime.ExitError" });
    expect((killed as { errorMessage: string }).errorMessage).toContain("signal: SIGKILL");
    expect(echoed(survived).invocations).toBe(1);
    expect(next.status).toBe("ok");
  });

  it("a thrown error fails the invocation but keeps the environment warm", async () => {
    const pool = await start("echo.mjs");
    const before = echoed(await pool.invoke(event()));

    const failed = await pool.invoke(event({ mode: "throw" }));
    const after = echoed(await pool.invoke(event()));

    expect(failed).toEqual({ status: "function-error", errorType: "TypeError", errorMessage: "boom" });
    expect(after.pid).toBe(before.pid);
    expect(
      messages().some((m) =>
        /\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"boom"/.test(m),
      ),
    ).toBe(true);
  });

  it("a failing init fails the invocation with INIT_REPORT", async () => {
    const pool = await start("init-error.mjs");

    const outcome = await pool.invoke(event());

    expect(outcome).toMatchObject({ status: "function-error", errorType: "Runtime.ImportModuleError" });
    expect((outcome as { errorMessage: string }).errorMessage).toContain("cannot load the model");
    expect(
      messages().some((m) => /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error/.test(m)),
    ).toBe(true);
    await vi.waitFor(() => expect(pool.environments()).toHaveLength(0), { timeout: 10_000, interval: 50 });
  });

  it("measures a slow init as Init Duration", async () => {
    const pool = await start("slow-init.mjs", { environment: { INIT_DELAY_MS: "400" } });

    const outcome = await pool.invoke(event());

    expect(outcome.status).toBe("ok");
    const report = logger.records.find((r) => r.type === "platform.report")!;
    expect(report.initDurationMs).toBeGreaterThanOrEqual(400);
    expect(report.billedDurationMs).toBeGreaterThanOrEqual(400);
  });

  it("runs a TypeScript handler (bundled once) that still sees its own location", async () => {
    const pool = await start("typed.ts");

    const outcome = await pool.invoke(JSON.stringify({ pathParameters: { name: "ts" } }));

    expect(outcome.status).toBe("ok");
    const body = JSON.parse((outcome as { result: { body: string } }).result.body);
    expect(body).toMatchObject({ greeting: "hello ts", functionName: "modelgate" });
    expect(body.here).toBe(fileURLToPath(new URL("../fixtures/handlers/", import.meta.url)));
  });

  it("runs a callback-style handler", async () => {
    const pool = await start("callback.mjs");

    expect(await pool.invoke(event())).toMatchObject({
      status: "ok",
      result: { statusCode: 201, body: "called back" },
    });
  });

  it("forwards console output as Lambda-formatted lines with the request id", async () => {
    const pool = await start("echo.mjs");

    const { context } = echoed(await pool.invoke(event({ mode: "log" })));

    await vi.waitFor(() =>
      expect(
        logger.records.some(
          (r) =>
            r.source === "function" &&
            r.message.includes(`\t${context.awsRequestId}\tINFO\thello from the handler`),
        ),
      ).toBe(true),
    );
  });

  it("close() lets the in-flight invocation finish, then stops every environment", async () => {
    const pool = await start("echo.mjs");
    const warm = echoed(await pool.invoke(event()));

    const inFlight = pool.invoke(event({ mode: "sleep", ms: "300" }));
    await pool.close();

    expect((await inFlight).status).toBe("ok");
    expect(pool.environments()).toHaveLength(0);
    expect(() => process.kill(warm.pid, 0)).toThrow();
    expect(await pool.invoke(event())).toEqual({ status: "throttled" });
  });
});
