import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  connectionTimeouts,
  DEFAULT_CONNECTION_TIMEOUTS,
  GATEWAY_HEADER_VALUE_BYTES,
  GATEWAY_URL_MAX_CHARS,
  Gateway,
  headLimitBroken,
  NODE_MAX_HEADER_SIZE,
} from "../../src/gateway/index.ts";
import { createMemoryLogger, type InvokeOutcome, type LogRecord } from "../../src/runtime/index.ts";
import { parseSpec } from "../../src/spec/index.ts";
import { head, type RawReply, rawRequest } from "../helpers/raw-http.ts";

/** API Gateway's limits on the request head, and the slow-client timeouts of the HTTP server. */

describe("headLimitBroken", () => {
  it("allows a URL of exactly 10,240 characters and refuses one more", () => {
    const url = (n: number) => `/prod/model?q=${"a".repeat(n - 14)}`;

    expect(url(GATEWAY_URL_MAX_CHARS)).toHaveLength(10_240);
    expect(headLimitBroken(url(GATEWAY_URL_MAX_CHARS), [])).toBeUndefined();
    expect(headLimitBroken(url(GATEWAY_URL_MAX_CHARS + 1), [])).toBe("URI_TOO_LONG");
  });

  it("counts header values only, across all headers, up to 10,240 bytes", () => {
    const names = "X".repeat(5_000);
    const exact = ["Host", "h", names, "a".repeat(5_000), "X-B", "b".repeat(5_239)];

    expect(GATEWAY_HEADER_VALUE_BYTES).toBe(10_240);
    expect(headLimitBroken("/", exact)).toBeUndefined();
    expect(headLimitBroken("/", [...exact, "X-C", "c"])).toBe("HEADERS_TOO_LARGE");
  });

  it("checks the URL first when both are over", () => {
    expect(headLimitBroken("/".repeat(20_000), ["X", "x".repeat(20_000)])).toBe("URI_TOO_LONG");
  });
});

describe("connectionTimeouts", () => {
  it("completes the defaults and keeps overrides", () => {
    expect(connectionTimeouts({ headersTimeoutMs: 5 })).toEqual({
      ...DEFAULT_CONNECTION_TIMEOUTS,
      headersTimeoutMs: 5,
    });
  });

  it("refuses a headers timeout over the request timeout, and non-positive values", () => {
    expect(() => connectionTimeouts({ headersTimeoutMs: 2_000, requestTimeoutMs: 1_000 })).toThrow(
      RangeError,
    );
    expect(() => connectionTimeouts({ keepAliveTimeoutMs: 0 })).toThrow(/keepAliveTimeoutMs/);
    expect(() => connectionTimeouts({ requestTimeoutMs: 1.5 })).toThrow(RangeError);
  });
});

describe("gateway limits over HTTP", () => {
  const logger = createMemoryLogger("info");
  const invoked: string[] = [];
  let behaviour: () => InvokeOutcome | Promise<InvokeOutcome> = () => ({
    status: "ok",
    result: { statusCode: 200, body: '{"ok":true}' },
    bytes: 30,
  });
  let gateway: Gateway;
  let port: number;

  beforeAll(async () => {
    gateway = new Gateway({
      spec: parseSpec({ routes: [{ method: "POST", path: "/model" }] }),
      invoker: {
        async invoke(eventJson) {
          invoked.push(eventJson);
          return behaviour();
        },
      },
      logger,
      timeouts: {
        headersTimeoutMs: 300,
        requestTimeoutMs: 600,
        keepAliveTimeoutMs: 200,
        connectionsCheckingIntervalMs: 50,
      },
    });
    ({ port } = await gateway.listen(0, "127.0.0.1"));
  });
  afterAll(() => gateway.close());

  const connections = () =>
    new Promise<number>((resolve, reject) =>
      gateway.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  const accessOf = (reply: RawReply): LogRecord[] =>
    logger.records.filter((r) => r.source === "access" && r.requestId === reply.headers["x-amzn-requestid"]);

  function expectGatewayResponse(reply: RawReply, status: number, message: string) {
    expect(reply.status).toBe(status);
    expect(reply.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(reply.body)).toEqual({ message });
    expect(reply.headers["x-amzn-requestid"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(reply.headers["x-amz-apigw-id"]).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(reply.headers["x-amzn-trace-id"]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const records = accessOf(reply);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status, responseLength: Buffer.byteLength(reply.body) });
  }

  const post = (url: string, headers: string[] = [], body = '{"inputs":[[1,2,3,4]]}') => [
    head(`POST ${url} HTTP/1.1`, [
      "Host: h",
      "Content-Type: application/json",
      `Content-Length: ${body.length}`,
      ...headers,
    ]),
    body,
  ];

  it("414 Request-URI Too Large for a URL over 10,240 characters, without invoking", async () => {
    const before = invoked.length;
    const url = (n: number) => `/prod/model?q=${"a".repeat(n - 14)}`;

    const over = await rawRequest(port, post(url(GATEWAY_URL_MAX_CHARS + 1)));
    const atLimit = await rawRequest(port, post(url(GATEWAY_URL_MAX_CHARS)));

    expectGatewayResponse(over, 414, "Request-URI Too Large");
    expect(accessOf(over)[0]).toMatchObject({ errorMessage: "URI_TOO_LONG", resourcePath: "-" });
    expect(atLimit.status).toBe(200);
    expect(invoked.length).toBe(before + 1);
  });

  it("431 Request Header Fields Too Large for header values over 10,240 bytes in all", async () => {
    const before = invoked.length;
    // Host "h" (1), Content-Type (16), Content-Length (2): 19 bytes of values before the fillers.
    const fill = (total: number) => [`X-A: ${"a".repeat(5_000)}`, `X-B: ${"b".repeat(total - 19 - 5_000)}`];

    const over = await rawRequest(port, post("/prod/model", fill(GATEWAY_HEADER_VALUE_BYTES + 1)));
    const atLimit = await rawRequest(port, post("/prod/model", fill(GATEWAY_HEADER_VALUE_BYTES)));

    expectGatewayResponse(over, 431, "Request Header Fields Too Large");
    expect(over.headers.connection).toBe("close");
    expect(atLimit.status).toBe(200);
    expect(invoked.length).toBe(before + 1);
  });

  it("a head over Node's own cap still gets the JSON 431 with ids", async () => {
    const reply = await rawRequest(port, [
      head("GET /prod/model HTTP/1.1", ["Host: h", `X-Big: ${"x".repeat(NODE_MAX_HEADER_SIZE)}`]),
    ]);

    expectGatewayResponse(reply, 431, "Request Header Fields Too Large");
    expect(reply.headers.connection).toBe("close");
    await vi.waitFor(async () => expect(await connections()).toBe(0));
  });

  it("400 Bad Request with ids for malformed HTTP", async () => {
    const reply = await rawRequest(port, ["GARBAGE\r\n\r\n"]);
    const badLength = await rawRequest(port, [
      head("POST /prod/model HTTP/1.1", ["Host: h", "Content-Length: abc"]),
    ]);

    expectGatewayResponse(reply, 400, "Bad Request");
    expectGatewayResponse(badLength, 400, "Bad Request");
    expect(accessOf(reply)[0]).toMatchObject({ httpMethod: "-", path: "-", ip: "127.0.0.1" });
  });

  it("403 Missing Authentication Token for CONNECT, which no resource matches", async () => {
    const reply = await rawRequest(port, [head("CONNECT example.com:443 HTTP/1.1", ["Host: example.com"])]);

    expectGatewayResponse(reply, 403, "Missing Authentication Token");
    expect(reply.headers["x-amzn-errortype"]).toBe("MissingAuthenticationTokenException");
  });

  it("408 Request Timeout for a slowloris client that never finishes its headers", async () => {
    const trickle = ["POST /prod/model HTTP/1.1\r\n", "Host: h\r\n"];
    for (let i = 0; i < 40; i++) trickle.push(`X-Slow-${i}: 1\r\n`);

    const reply = await rawRequest(port, trickle, { chunkDelayMs: 50 });

    expectGatewayResponse(reply, 408, "Request Timeout");
    expect(reply.headers.connection).toBe("close");
    await vi.waitFor(async () => expect(await connections()).toBe(0));
  });

  it("408 for a connection that sends nothing at all", async () => {
    const reply = await rawRequest(port, []);

    expectGatewayResponse(reply, 408, "Request Timeout");
    await vi.waitFor(async () => expect(await connections()).toBe(0));
  });

  it("a truncated body that stalls: 408 with that request's ids, no invocation, socket closed", async () => {
    const before = invoked.length;
    const headers = ["Host: h", "Content-Type: application/json", "Content-Length: 100"];

    const reply = await rawRequest(port, [head("POST /prod/model HTTP/1.1", headers), '{"inputs":']);

    expectGatewayResponse(reply, 408, "Request Timeout");
    expect(accessOf(reply)[0]).toMatchObject({ httpMethod: "POST", path: "/prod/model" });
    expect(invoked.length).toBe(before);
    await vi.waitFor(async () => expect(await connections()).toBe(0));
  });

  it.each([
    ["half-closes", "end"],
    ["drops the connection", "destroy"],
  ] as const)("a truncated body whose client %s: no invocation, no socket left", async (_name, after) => {
    const before = invoked.length;
    const headers = ["Host: h", "Content-Type: application/json", "Content-Length: 100"];

    const reply = await rawRequest(port, [head("POST /prod/model HTTP/1.1", headers), '{"inputs":'], {
      after,
    });

    // A half-closed client can still read the answer: Node reports the early end as malformed.
    if (reply.status !== 0) expectGatewayResponse(reply, 400, "Bad Request");
    await vi.waitFor(async () => expect(await connections()).toBe(0));
    expect(invoked.length).toBe(before);
    const next = await rawRequest(port, post("/prod/model"));
    expect(next.status).toBe(200);
  });

  it("the request timeout does not cut off a slow invocation", async () => {
    behaviour = () =>
      new Promise((resolve) =>
        setTimeout(() => resolve({ status: "ok", result: { statusCode: 200, body: "{}" }, bytes: 2 }), 1_000),
      );
    try {
      const reply = await rawRequest(port, post("/prod/model"));

      expect(reply.status).toBe(200);
    } finally {
      behaviour = () => ({ status: "ok", result: { statusCode: 200, body: '{"ok":true}' }, bytes: 30 });
    }
  });

  it("an idle keep-alive connection is closed by the server after the keep-alive timeout", async () => {
    const reply = await rawRequest(port, post("/prod/model"), { untilClose: true, guardMs: 10_000 });

    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe("keep-alive");
    expect(reply.closedByServer).toBe(true);
    expect(reply.error).toBeUndefined();
  });

  it("a client that half-closes after a complete request still gets the response", async () => {
    const reply = await rawRequest(port, post("/prod/model"), { after: "end" });

    expect(reply.status).toBe(200);
    expect(reply.body).toBe('{"ok":true}');
  });

  it("400 Bad Request with ids for HTTP/1.1 without Host; HTTP/1.0 needs none", async () => {
    const body = '{"inputs":[[1,2,3,4]]}';
    const request = (version: string) => [
      head(`POST /prod/model HTTP/${version}`, [`Content-Length: ${body.length}`]),
      body,
    ];

    const noHost = await rawRequest(port, request("1.1"));
    const http10 = await rawRequest(port, request("1.0"));

    expectGatewayResponse(noHost, 400, "Bad Request");
    expect(http10.status).toBe(200);
  });

  it("an early refusal whose body then breaks off gets no second, stray response", async () => {
    const headers = ["Host: h", "Content-Length: 100"];

    const reply = await rawRequest(port, [head("POST /prod/other HTTP/1.1", headers), "{"], {
      after: "end",
      untilClose: true,
    });

    expect(reply.status).toBe(403);
    expect(reply.raw.match(/HTTP\/1\.1 /g)).toHaveLength(1);
  });

  it("a malformed request after a good one on a keep-alive connection gets its own 400", async () => {
    const reply = await rawRequest(port, [[...post("/prod/model"), "GARBAGE\r\n\r\n"].join("")], {
      untilClose: true,
    });

    const statuses = [...reply.raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(["200", "400"]);
    const ids = [...reply.raw.matchAll(/x-amzn-RequestId: (\S+)/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(2);
  });

  it("fuzz regression: query keys and header names like valueOf or __proto__ are plain entries", async () => {
    const reply = await rawRequest(
      port,
      post("/prod/model?valueOf&__proto__=p&constructor=c&toString=1&toString=2", ["constructor: h"]),
    );

    expect(reply.status).toBe(200);
    const event = JSON.parse(invoked.at(-1)!) as Record<string, Record<string, unknown>>;
    expect(Object.entries(event.queryStringParameters!)).toEqual([
      ["valueOf", ""],
      ["__proto__", "p"],
      ["constructor", "c"],
      ["toString", "2"],
    ]);
    expect(event.multiValueQueryStringParameters!.toString).toEqual(["1", "2"]);
    expect(event.headers!.constructor).toBe("h");
    expect(event.multiValueHeaders!.constructor).toEqual(["h"]);
  });

  it("every gateway response in this file was logged once", () => {
    const ids = logger.records.filter((r) => r.source === "access").map((r) => r.requestId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
