import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  createMemoryLogger,
  type FunctionPool,
  parseHandlerRef,
  startFunction,
} from "../../src/runtime/index.ts";

const HANDLER = fileURLToPath(new URL("../fixtures/handlers/json-logs.mjs", import.meta.url));

describe("the function's own output", () => {
  const logger = createMemoryLogger("info");
  let pool: FunctionPool;

  afterAll(async () => {
    await pool?.close();
  });

  it("keeps structured (JSON) lines structured, at their own level, and plain lines as text", async () => {
    pool = await startFunction({ handler: parseHandlerRef(HANDLER), logger });
    const outcome = await pool.invoke(JSON.stringify({ requestContext: { requestId: "r" } }));
    expect(outcome.status).toBe("ok");
    await vi.waitFor(() => expect(logger.records.some((r) => r.message === "cold")).toBe(true));
    const fromFunction = logger.records.filter((record) => record.source === "function");
    const cold = fromFunction.find((record) => record.message === "cold");
    expect(cold).toMatchObject({ level: "info", record: { level: "INFO", service: "t" } });
    const failure = fromFunction.find((record) => record.message === "went wrong");
    expect(failure).toMatchObject({ level: "error", record: { code: 7 } });
    const plain = fromFunction.find((record) => String(record.message).endsWith("plain text"));
    expect(plain?.record).toBeUndefined();
    expect(plain?.message).toMatch(/\tINFO\tplain text$/);
  });
});
