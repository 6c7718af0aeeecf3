import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/gateway/index.ts";
import { createMemoryLogger, parseHandlerRef } from "../../src/runtime/index.ts";
import { EXAMPLE_MODEL_PATH, parseSpec } from "../../src/spec/index.ts";
import { json } from "../helpers/http.ts";
import { percentile, runLoad } from "../helpers/load.ts";
import { Tally } from "../helpers/tally.ts";

/**
 * A bounded soak at the concurrency limit and above it: every request gets exactly one response
 * (counted by request id on the client and in the gateway's access log), throttled requests get
 * API Gateway's 500, p99 stays bounded, and no environment outlives the endpoint.
 * MODELGATE_SOAK_SECONDS sets the length of each phase (default 10 s; longer by flag).
 */
const PHASE_MS = Number(process.env.MODELGATE_SOAK_SECONDS ?? 10) * 1000;
const LIMIT = 3;
/** Generous: a loaded 2-core CI machine, 3 environments. The point is "bounded", not fast. */
const P99_BOUND_MS = 2_000;
const HANDLER = new URL("../../src/lambda/index.ts", import.meta.url).pathname;

describe("soak at and above the concurrency limit", () => {
  let endpoint: LocalEndpoint;
  const logger = createMemoryLogger("info");
  const pids = new Set<number>();

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({
      spec: parseSpec({ model: { path: EXAMPLE_MODEL_PATH }, function: { reservedConcurrency: LIMIT } }),
      handler: parseHandlerRef(HANDLER),
      port: 0,
      logger,
    });
  });

  afterAll(async () => {
    await endpoint?.close();
  });

  async function phase(name: string, connections: number) {
    const tally = new Tally();
    const latencies: number[] = [];
    const deadline = performance.now() + PHASE_MS;
    const before = logger.records.length;
    await runLoad({
      url: `${endpoint.url}/model`,
      connections,
      until: () => performance.now() >= deadline,
      tally,
      onReply: (reply, latencyMs) => {
        if (reply.status === 200) latencies.push(latencyMs);
        else
          expect({ status: reply.status, body: json(reply) }).toEqual({
            status: 500,
            body: { message: "Internal server error" },
          });
        for (const environment of endpoint.pool.environments())
          if (environment.pid) pids.add(environment.pid);
      },
    });
    const access = logger.records.slice(before).filter((record) => record.source === "access");
    const serverIds = access.map((record) => String(record.requestId));
    const p99 = percentile(latencies, 99);
    console.log(
      `${tally.summary(`soak ${name}`)}, server saw ${serverIds.length}, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    );
    return { tally, serverIds, p99 };
  }

  it(`at the limit (${LIMIT} clients): all answered 200, none lost or duplicated`, async () => {
    const { tally, serverIds, p99 } = await phase("at limit", LIMIT);
    expect(tally.sent).toBeGreaterThan(0);
    expect(tally.failures).toEqual([]);
    expect(tally.lost).toBe(0);
    expect(tally.duplicated).toBe(0);
    expect(tally.byStatus).toEqual({ 200: tally.sent });
    expect(new Set(serverIds)).toEqual(new Set(tally.requestIds.keys()));
    expect(serverIds).toHaveLength(tally.sent);
    expect(p99).toBeLessThan(P99_BOUND_MS);
  });

  it(`above the limit (${LIMIT * 2} clients): the excess is throttled with 500, still one response each`, async () => {
    const { tally, serverIds, p99 } = await phase("above limit", LIMIT * 2);
    expect(tally.failures).toEqual([]);
    expect(tally.lost).toBe(0);
    expect(tally.duplicated).toBe(0);
    expect(tally.byStatus[200]).toBeGreaterThan(0);
    expect(tally.byStatus[500]).toBeGreaterThan(0);
    expect((tally.byStatus[200] ?? 0) + (tally.byStatus[500] ?? 0)).toBe(tally.sent);
    expect(new Set(serverIds)).toEqual(new Set(tally.requestIds.keys()));
    expect(serverIds).toHaveLength(tally.sent);
    expect(p99).toBeLessThan(P99_BOUND_MS);
    expect(endpoint.pool.environments().length).toBeLessThanOrEqual(LIMIT);
  });

  it("leaks no environment: after close, none is left and every process is gone", async () => {
    expect(pids.size).toBeGreaterThan(0);
    expect(pids.size).toBeLessThanOrEqual(LIMIT);
    await endpoint.close();
    expect(endpoint.pool.environments()).toEqual([]);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
