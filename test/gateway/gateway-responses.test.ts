import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Behaviour, echo, type FakeGateway, startFakeGateway } from "../helpers/gateway.ts";
import { type HttpReply, request } from "../helpers/http.ts";

/** API Gateway's own responses, each with status, body and headers. */
describe("gateway responses", () => {
  let api: FakeGateway;
  const behaviour: { current: Behaviour } = { current: echo };

  beforeAll(async () => {
    api = await startFakeGateway(
      { routes: [{ method: "POST", path: "/model" }], integrationTimeoutMs: 50 },
      behaviour,
    );
  });
  afterAll(() => api.close());

  function expectIds(res: HttpReply) {
    expect(res.headers["x-amzn-requestid"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(res.headers["x-amz-apigw-id"]).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(res.headers["x-amzn-trace-id"]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  }

  it.each([
    ["an unknown resource", "POST", "/prod/nothing"],
    ["a method not defined on the resource", "GET", "/prod/model"],
    ["an unknown stage", "POST", "/dev/model"],
    ["the bare root", "GET", "/"],
  ])("403 Missing Authentication Token for %s", async (_name, method, path) => {
    // Act
    const res = await request(`${api.base.replace(/\/prod$/, "")}${path}`, { method });

    // Assess
    expect(res.status).toBe(403);
    expect(res.text).toBe('{"message":"Missing Authentication Token"}');
    expect(res.headers["x-amzn-errortype"]).toBe("MissingAuthenticationTokenException");
    expect(res.headers["content-type"]).toBe("application/json");
    expectIds(res);
  });

  it("403 does not reach the function", async () => {
    const before = api.events.length;
    await request(`${api.base}/other`, { method: "POST", body: "x" });
    expect(api.events.length).toBe(before);
  });

  it("413 when the declared Content-Length is over 10 MB, without reading the body", async () => {
    // Only the headers are sent: the gateway must answer from the declared length.
    const { port } = new URL(api.base);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(
          `POST /prod/model HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024 + 1}\r\n\r\n{`,
        );
      });
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk.toString();
      });
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });

    expect(raw).toMatch(/^HTTP\/1\.1 413 /);
    expect(raw).toContain('{"message":"Request Too Large"}');
    expect(raw.toLowerCase()).toContain("x-amzn-requestid:");
  });

  it("413 when a chunked body grows over 10 MB", async () => {
    const before = api.events.length;
    const res = await request(`${api.base}/model`, {
      method: "POST",
      headers: [["Transfer-Encoding", "chunked"]],
      body: Buffer.alloc(10 * 1024 * 1024 + 10, 0x61),
    }).catch((error: NodeJS.ErrnoException) => error);

    // The gateway may close the socket while the client is still writing; when the reply
    // arrives first it must be the 413.
    if ("status" in res) {
      expect(res.status).toBe(413);
      expectIds(res);
    } else {
      expect(res.code).toMatch(/ECONNRESET|EPIPE/);
    }
    expect(api.events.length).toBe(before);
  });

  it("504 Endpoint request timed out when the integration timeout fires first", async () => {
    behaviour.current = () => new Promise(() => {});

    const res = await request(`${api.base}/model`, { method: "POST", body: "{}" });

    expect(res.status).toBe(504);
    expect(res.text).toBe('{"message": "Endpoint request timed out"}');
    expect(res.headers["content-type"]).toBe("application/json");
    expectIds(res);
  });

  it("500 Internal server error when the function is throttled", async () => {
    behaviour.current = () => ({ status: "throttled" });

    const res = await request(`${api.base}/model`, { method: "POST", body: "{}" });

    expect(res.status).toBe(500);
    expect(res.text).toBe('{"message": "Internal server error"}');
    expectIds(res);
  });

  it("502 Internal server error with InternalServerErrorException when the function fails", async () => {
    behaviour.current = () => ({ status: "function-error", errorType: "TypeError", errorMessage: "boom" });

    const res = await request(`${api.base}/model`, { method: "POST", body: "{}" });

    expect(res.status).toBe(502);
    expect(res.text).toBe('{"message": "Internal server error"}');
    expect(res.headers["x-amzn-errortype"]).toBe("InternalServerErrorException");
    expect(res.text).not.toContain("boom");
    expectIds(res);
  });

  it("413 when the event is over Lambda's 6 MB request limit", async () => {
    behaviour.current = () => ({ status: "request-too-large" });

    const res = await request(`${api.base}/model`, { method: "POST", body: "{}" });

    expect(res.status).toBe(413);
    expectIds(res);
  });

  it("request ids on a successful response too, and one per request", async () => {
    behaviour.current = echo;

    const first = await request(`${api.base}/model`, { method: "POST", body: "{}" });
    const second = await request(`${api.base}/model`, { method: "POST", body: "{}" });

    expect(first.status).toBe(200);
    expectIds(first);
    expect(first.headers["x-amzn-requestid"]).not.toBe(second.headers["x-amzn-requestid"]);
    const event = JSON.parse(second.text) as { requestContext: { requestId: string } };
    expect(event.requestContext.requestId).toBe(second.headers["x-amzn-requestid"]);
  });

  it("keeps a client's X-Ray trace root", async () => {
    behaviour.current = echo;
    const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";

    const res = await request(`${api.base}/model`, {
      method: "POST",
      body: "{}",
      headers: [["X-Amzn-Trace-Id", trace]],
    });

    expect(res.headers["x-amzn-trace-id"]).toBe(trace);
  });

  it("writes one JSON access-log record per request, without bodies", async () => {
    behaviour.current = echo;

    const res = await request(`${api.base}/model`, { method: "POST", body: '{"secret":"user data"}' });

    const requestId = res.headers["x-amzn-requestid"];
    const records = api.records.filter((r) => r.source === "access" && r.requestId === requestId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      httpMethod: "POST",
      resourcePath: "/model",
      path: "/prod/model",
      status: 200,
      ip: "127.0.0.1",
      integrationStatus: 200,
    });
    expect(records[0]!.responseLatency).toEqual(expect.any(Number));
    expect(records[0]!.integrationLatency).toEqual(expect.any(Number));
    expect(JSON.stringify(api.records)).not.toContain("user data");
  });
});
