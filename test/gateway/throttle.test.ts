import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_THROTTLE, TokenBucket, throttleChain } from "../../src/gateway/index.ts";
import { echo, type FakeGateway, startFakeGateway } from "../helpers/gateway.ts";
import { json, request } from "../helpers/http.ts";

describe("token buckets", () => {
  it("allow the burst, then refill at the rate", () => {
    let now = 0;
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 499; // 0.998 tokens: not yet one
    expect(bucket.take()).toBe(false);
    now = 1_000; // one second at 2/s since the bucket ran dry: two tokens
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
    now = 60_000; // never above the burst
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it("check the stage's limits, then the account's", () => {
    const now = 0;
    const admit = throttleChain({ rateLimit: 1, burstLimit: 1 }, () => now);
    expect([admit(), admit()]).toEqual([true, false]);
    const accountOnly = throttleChain(undefined, () => now);
    const admitted = Array.from({ length: ACCOUNT_THROTTLE.burstLimit + 1 }, accountOnly).filter(
      Boolean,
    ).length;
    expect(admitted).toBe(ACCOUNT_THROTTLE.burstLimit);
  });
});

describe("the gateway with stage throttling from the spec", () => {
  let gateway: FakeGateway;

  beforeAll(async () => {
    gateway = await startFakeGateway(
      { routes: [{ method: "POST", path: "/model" }], throttling: { rateLimit: 0.001, burstLimit: 2 } },
      { current: echo },
    );
  });

  afterAll(async () => {
    await gateway.close();
  });

  it("answers 429 Too Many Requests past the burst, with ids, without invoking the function", async () => {
    const post = () => request(`${gateway.base}/model`, { method: "POST", body: "{}" });
    const replies = [await post(), await post(), await post()];
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 429]);
    const throttled = replies[2]!;
    expect(json(throttled)).toEqual({ message: "Too Many Requests" });
    expect(throttled.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(throttled.headers["x-amz-apigw-id"]).toBeDefined();
    expect(gateway.events).toHaveLength(2);
    const access = gateway.records
      .filter((record) => record.source === "access")
      .map((record) => record.status);
    expect(access).toEqual([200, 200, 429]);
  });

  it("still answers 403 for an unknown route: routing comes before throttling", async () => {
    const reply = await request(`${gateway.base}/nope`, { method: "POST", body: "{}" });
    expect(reply.status).toBe(403);
  });
});
