import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Behaviour, echo, type FakeGateway, startFakeGateway } from "../helpers/gateway.ts";
import { json, request } from "../helpers/http.ts";

/** How API Gateway turns a Lambda proxy result into the HTTP response, or refuses it (502). */
describe("proxy response", () => {
  let api: FakeGateway;
  const behaviour: { current: Behaviour } = { current: echo };
  const returning =
    (result: unknown, bytes = 200): Behaviour =>
    () => ({ status: "ok", result, bytes });

  beforeAll(async () => {
    api = await startFakeGateway(
      { routes: [{ method: "ANY", path: "/{proxy+}" }], binaryMediaTypes: ["image/png"] },
      behaviour,
    );
  });
  afterAll(() => api.close());

  async function reply(result: unknown, headers: Array<[string, string]> = [], bytes?: number) {
    behaviour.current = returning(result, bytes);
    return request(`${api.base}/r`, { headers });
  }

  it.each([
    ["an unknown top-level key", { statusCode: 200, body: "x", cookies: ["a=b"] }],
    ["an empty object", {}],
    ["a bare string", "hello"],
    ["null (the handler returned nothing)", null],
    ["an array", [200, "x"]],
    ["a non-numeric statusCode", { statusCode: "OK", body: "x" }],
    ["an out-of-range statusCode", { statusCode: 1000, body: "x" }],
    ["a non-list multiValueHeaders value", { statusCode: 200, multiValueHeaders: { "X-A": "one" } }],
    ["an object header value", { statusCode: 200, headers: { "X-A": { nested: true } } }],
    ["a non-string body", { statusCode: 200, body: { data: 1 } }],
    ["a header value with a newline", { statusCode: 200, headers: { "X-A": "a\nb" } }],
  ])("502 Internal server error for %s", async (_name, result) => {
    // Act
    const res = await reply(result);

    // Assess
    expect(res.status).toBe(502);
    expect(res.text).toBe('{"message": "Internal server error"}');
    expect(res.headers["x-amzn-errortype"]).toBe("InternalServerErrorException");
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("502 for a result over Lambda's 6 MB response limit", async () => {
    const res = await reply({ statusCode: 200, body: "small" }, [], 6 * 1024 * 1024 + 1);

    expect(res.status).toBe(502);
  });

  it("missing statusCode means 200; a numeric string is accepted; Content-Type defaults to JSON", async () => {
    const missing = await reply({ body: "hi" });
    const stringStatus = await reply({ statusCode: "201", body: "made" });

    expect(missing.status).toBe(200);
    expect(missing.text).toBe("hi");
    expect(missing.headers["content-type"]).toBe("application/json");
    expect(stringStatus.status).toBe(201);
    expect(stringStatus.text).toBe("made");
  });

  it("merges headers and multiValueHeaders, stringifies scalars, keeps Set-Cookie lines apart", async () => {
    const res = await reply({
      statusCode: 200,
      headers: { "Content-Type": "text/plain", "X-Both": "a", "X-Flag": true, "X-Count": 3 },
      multiValueHeaders: { "x-both": ["a", "b"], "Set-Cookie": ["a=1", "b=2"] },
      body: "ok",
    });

    expect(res.headers["content-type"]).toBe("text/plain");
    expect(res.headers["x-both"]).toBe("a, b");
    expect(res.headers["x-flag"]).toBe("true");
    expect(res.headers["x-count"]).toBe("3");
    expect(res.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
  });

  it("renames Connection, Content-Length, Date and Server from the function to x-amzn-Remapped-*", async () => {
    const res = await reply({
      statusCode: 200,
      headers: { Server: "my-server", Date: "yesterday", "Content-Length": "999", Connection: "close" },
      body: "four",
    });

    expect(res.headers["x-amzn-remapped-server"]).toBe("my-server");
    expect(res.headers["x-amzn-remapped-date"]).toBe("yesterday");
    expect(res.headers["x-amzn-remapped-content-length"]).toBe("999");
    expect(res.headers["x-amzn-remapped-connection"]).toBe("close");
    expect(res.headers["content-length"]).toBe("4");
    expect(res.headers.server).toBeUndefined();
    expect(res.text).toBe("four");
  });

  it("decodes a base64 body only when the first Accept type is a binary media type", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const result = {
      statusCode: 200,
      headers: { "Content-Type": "image/png" },
      body: png.toString("base64"),
      isBase64Encoded: true,
    };

    const binary = await reply(result, [["Accept", "image/png, */*"]]);
    const notFirst = await reply(result, [["Accept", "application/json, image/png"]]);
    const none = await reply(result);

    expect(binary.body).toEqual(png);
    expect(notFirst.text).toBe(png.toString("base64"));
    expect(none.text).toBe(png.toString("base64"));
  });

  it("passes the function's status and body through untouched", async () => {
    const res = await reply({ statusCode: 422, body: '{"error":"UnprocessableEntity"}' });

    expect(res.status).toBe(422);
    expect(json(res)).toEqual({ error: "UnprocessableEntity" });
  });
});
