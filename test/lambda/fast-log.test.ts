import { describe, expect, it } from "vitest";
import { createInfoLine, handlerLogger, infoEnabled } from "../../src/lambda/fast-log.ts";

describe("the per-invocation log line", () => {
  it("writes one JSON line in Powertools' shape", () => {
    const lines: string[] = [];
    const info = createInfoLine("modelgate", (line) => lines.push(line), {});
    info("invocation", { requestId: "r-1", status: 200, latencyMs: 0.2 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("\n")).toBe(true);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toEqual({
      level: "INFO",
      message: "invocation",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      service: "modelgate",
      requestId: "r-1",
      status: 200,
      latencyMs: 0.2,
    });
    expect(Object.keys(record).slice(0, 4)).toEqual(["level", "message", "timestamp", "service"]);
  });

  it.each([
    [{}, true],
    [{ POWERTOOLS_LOG_LEVEL: "DEBUG" }, true],
    [{ POWERTOOLS_LOG_LEVEL: "WARN" }, false],
    [{ POWERTOOLS_LOG_LEVEL: "silent" }, false],
    [{ POWERTOOLS_LOG_LEVEL: "INFO", AWS_LAMBDA_LOG_LEVEL: "ERROR" }, false],
    [{ POWERTOOLS_LOG_LEVEL: "ERROR", AWS_LAMBDA_LOG_LEVEL: "INFO" }, true],
  ])("honours the log level %j: info enabled %s", (env, enabled) => {
    expect(infoEnabled(env)).toBe(enabled);
    const lines: string[] = [];
    createInfoLine("s", (line) => lines.push(line), env)("m", {});
    expect(lines.length).toBe(enabled ? 1 : 0);
  });
});

describe("the handler's logger", () => {
  it("sends info to the cheap line and warnings and errors to the other logger", () => {
    const lines: string[] = [];
    const other: Array<[string, string]> = [];
    const logger = handlerLogger(
      {
        warn: (message) => other.push(["warn", message]),
        error: (message) => other.push(["error", message]),
      },
      createInfoLine("s", (line) => lines.push(line), {}),
    );
    logger.info("invocation", { status: 200 });
    logger.warn("request rejected", { status: 400 });
    logger.error("unexpected error", { error: new Error("x") });
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(["invocation"]);
    expect(other).toEqual([
      ["warn", "request rejected"],
      ["error", "unexpected error"],
    ]);
  });
});
