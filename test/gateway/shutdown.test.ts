import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { SHUTDOWN_GRACE_MS } from "../../src/gateway/server.ts";
import { echo, startFakeGateway } from "../helpers/gateway.ts";

describe("closing the gateway", () => {
  it("does not wait for a client stalled mid-upload past the integration timeout", async () => {
    const gateway = await startFakeGateway(
      { integrationTimeoutMs: 50, routes: [{ method: "POST", path: "/model" }] },
      { current: echo },
    );
    const { port } = new URL(gateway.base);
    const socket = connect(Number(port), "127.0.0.1");
    const socketClosed = new Promise((resolve) => socket.once("close", resolve));
    socket.on("error", () => {});
    await new Promise((resolve) => socket.once("connect", resolve));
    // Headers promise 100 bytes of body; 10 arrive, then nothing (the request timeout is 60 s).
    socket.write(
      "POST /prod/model HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
    );
    socket.write('{"inputs":');
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = performance.now();
    await gateway.close();
    const tookMs = performance.now() - started;

    await socketClosed;
    expect(tookMs).toBeLessThan(50 + SHUTDOWN_GRACE_MS + 5_000);
    expect(tookMs).toBeGreaterThanOrEqual(50 + SHUTDOWN_GRACE_MS - 100);
    expect(gateway.events).toEqual([]);
  });
});
