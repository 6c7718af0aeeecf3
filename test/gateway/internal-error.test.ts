import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InvokeOutcome } from "../../src/runtime/index.ts";
import { type Behaviour, type FakeGateway, startFakeGateway } from "../helpers/gateway.ts";
import { json, request } from "../helpers/http.ts";

/** A result whose every read throws: makes the gateway's own response handling fail. */
const poisoned: Behaviour = () =>
  ({
    status: "ok",
    bytes: 10,
    result: new Proxy(
      {},
      {
        get() {
          throw new Error("gateway bug under test");
        },
        has() {
          throw new Error("gateway bug under test");
        },
        ownKeys() {
          throw new Error("gateway bug under test");
        },
      },
    ),
  }) as InvokeOutcome;

describe("a fault inside the gateway itself", () => {
  let gateway: FakeGateway;
  const behaviour = { current: poisoned };

  beforeAll(async () => {
    gateway = await startFakeGateway({ routes: [{ method: "POST", path: "/model" }] }, behaviour);
  });

  afterAll(async () => {
    await gateway.close();
  });

  it("still answers once: a generic 500 with ids, the cause only in the log", async () => {
    const reply = await request(`${gateway.base}/model`, { method: "POST", body: "{}" });
    expect(reply.status).toBe(500);
    expect(json(reply)).toEqual({ message: "Internal server error" });
    expect(reply.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.text).not.toContain("gateway bug");
    const logged = gateway.records.find((record) => record.message === "gateway error");
    expect(String(logged?.error)).toContain("gateway bug under test");
    const access = gateway.records.filter((record) => record.source === "access");
    expect(access.map((record) => record.status)).toEqual([500]);
  });
});
