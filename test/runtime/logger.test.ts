import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createJsonLogger, createMemoryLogger } from "../../src/runtime/index.ts";

function capture() {
  const stream = new PassThrough();
  const writes: string[] = [];
  stream.on("data", (chunk: Buffer) => writes.push(chunk.toString()));
  return { stream, writes };
}

describe("JSON logger", () => {
  it("writes one JSON object per line, info to out and errors to err, batching a tick into one write", async () => {
    // Prepare
    const out = capture();
    const err = capture();
    const logger = createJsonLogger({ out: out.stream, err: err.stream });

    // Act
    logger.info("START RequestId: 1", { requestId: "1" });
    logger.info("END RequestId: 1");
    logger.error("boom", { source: "gateway" });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(out.writes).toHaveLength(1);
    const lines = out.writes[0]!.trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toMatchObject([
      { level: "info", message: "START RequestId: 1", requestId: "1" },
      { level: "info", message: "END RequestId: 1" },
    ]);
    expect(JSON.parse(err.writes.join(""))).toMatchObject({
      level: "error",
      message: "boom",
      source: "gateway",
    });
    expect(Date.parse(lines[0].time)).not.toBeNaN();
  });

  it("drops records below its level", () => {
    const logger = createMemoryLogger("warn");

    logger.info("quiet");
    logger.warn("loud");

    expect(logger.records.map((r) => r.message)).toEqual(["loud"]);
  });
});
