import { fileURLToPath } from "node:url";
import { APIGatewayProxyEventSchema } from "@aws-lambda-powertools/parser/schemas";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GENERIC_HANDLER_ROUTES, type LocalEndpoint, startLocalEndpoint } from "../../src/gateway/index.ts";
import { createMemoryLogger, parseHandlerRef } from "../../src/runtime/index.ts";
import { type EndpointSpecInput, parseSpec } from "../../src/spec/index.ts";
import { json, request } from "../helpers/http.ts";

/** The gateway in front of real execution environments (child processes), on 127.0.0.1. */

const fixture = (name: string) =>
  parseHandlerRef(fileURLToPath(new URL(`../fixtures/handlers/${name}`, import.meta.url)));

async function endpoint(name: string, spec: EndpointSpecInput = {}) {
  const logger = createMemoryLogger("info");
  const local = await startLocalEndpoint({
    spec: parseSpec({ routes: [...GENERIC_HANDLER_ROUTES], ...spec }),
    handler: fixture(name),
    port: 0,
    logger,
  });
  return { local, logger };
}

interface Echoed {
  event: Record<string, unknown>;
  pid: number;
  invocations: number;
}

describe("local endpoint: gateway + execution environments", () => {
  let echo: LocalEndpoint;

  beforeAll(async () => {
    ({ local: echo } = await endpoint("echo.mjs", {
      function: { reservedConcurrency: 2, timeoutSeconds: 10 },
    }));
  });
  afterAll(() => echo.close());

  it("the handler receives a valid proxy event and its response is returned", async () => {
    // Act
    const res = await request(`${echo.url}/items/42?x=1`, { method: "POST", body: "hello" });

    // Assess
    expect(res.status).toBe(200);
    const { event } = json<Echoed>(res);
    expect(APIGatewayProxyEventSchema.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({
      resource: "/{proxy+}",
      path: "/items/42",
      body: "hello",
      httpMethod: "POST",
    });
  });

  it("the same warm environment serves consecutive requests", async () => {
    const first = json<Echoed>(await request(`${echo.url}/a`));
    const second = json<Echoed>(await request(`${echo.url}/b`));

    expect(second.pid).toBe(first.pid);
    expect(second.invocations).toBe(first.invocations + 1);
  });

  it("a function error is a 502, and the environment stays warm", async () => {
    const warm = json<Echoed>(await request(`${echo.url}/a`));

    const res = await request(`${echo.url}/x?mode=throw`);
    const after = json<Echoed>(await request(`${echo.url}/a`));

    expect(res.status).toBe(502);
    expect(res.text).toBe('{"message": "Internal server error"}');
    expect(after.pid).toBe(warm.pid);
  });

  it("a function timeout is a 502; the next request gets a fresh (cold) environment", async () => {
    const { local } = await endpoint("echo.mjs", { function: { timeoutSeconds: 1 } });
    try {
      const warm = json<Echoed>(await request(`${local.url}/a`));

      const res = await request(`${local.url}/x?mode=sleep&ms=20000`);
      const after = json<Echoed>(await request(`${local.url}/a`));

      expect(res.status).toBe(502);
      expect(res.headers["x-amzn-errortype"]).toBe("InternalServerErrorException");
      expect(after.pid).not.toBe(warm.pid);
      expect(after.invocations).toBe(1);
    } finally {
      await local.close();
    }
  });

  it("a crash is a 502 for its own request only", async () => {
    const [crashed, ok] = await Promise.all([
      request(`${echo.url}/x?mode=exit`),
      request(`${echo.url}/x?mode=sleep&ms=200`),
    ]);
    const next = await request(`${echo.url}/a`);

    expect(crashed.status).toBe(502);
    expect(ok.status).toBe(200);
    expect(next.status).toBe(200);
  });

  it("requests beyond the concurrency limit are throttled: 500", async () => {
    const slow = [request(`${echo.url}/x?mode=sleep&ms=2000`), request(`${echo.url}/x?mode=sleep&ms=2000`)];
    await vi.waitFor(
      () => expect(echo.pool.environments().filter((e) => e.state !== "idle")).toHaveLength(2),
      {
        timeout: 10_000,
        interval: 20,
      },
    );
    const third = await request(`${echo.url}/a`);
    const done = await Promise.all(slow);

    expect(third.status).toBe(500);
    expect(third.text).toBe('{"message": "Internal server error"}');
    expect(done.map((r) => r.status)).toEqual([200, 200]);
  });

  it("a handler returning nothing is a malformed proxy response: 502", async () => {
    const { local } = await endpoint("returns.mjs");
    try {
      const empty = await request(`${local.url}/`, { headers: [["X-Return", "undefined"]] });
      const good = await request(`${local.url}/`, { headers: [["X-Return", '{"statusCode":204}']] });

      expect(empty.status).toBe(502);
      expect(good.status).toBe(204);
    } finally {
      await local.close();
    }
  });

  it("the integration timeout answers 504 while the function runs on in its environment", async () => {
    const { local } = await endpoint("echo.mjs", {
      integrationTimeoutMs: 200,
      function: { reservedConcurrency: 1, timeoutSeconds: 5 },
    });
    try {
      await request(`${local.url}/warm`);

      const timedOut = await request(`${local.url}/x?mode=sleep&ms=1500`);
      // The only environment is still busy with that invocation: Lambda throttles.
      const meanwhile = await request(`${local.url}/a`);

      expect(timedOut.status).toBe(504);
      expect(timedOut.text).toBe('{"message": "Endpoint request timed out"}');
      expect(meanwhile.status).toBe(500);
    } finally {
      await local.close();
    }
  });

  it("graceful close: the in-flight request completes, new connections are refused, environments stop", async () => {
    const { local } = await endpoint("echo.mjs");
    const warm = json<Echoed>(await request(`${local.url}/warm`));

    const inFlight = request(`${local.url}/x?mode=sleep&ms=400`);
    await vi.waitFor(() => expect(local.pool.environments()[0]?.state).toBe("busy"), {
      timeout: 10_000,
      interval: 10,
    });
    await local.close();
    const finished = await inFlight;

    expect(finished.status).toBe(200);
    await expect(request(`${local.url}/a`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(local.pool.environments()).toHaveLength(0);
    expect(() => process.kill(warm.pid, 0)).toThrow();
  });
});
