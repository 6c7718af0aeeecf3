import { APIGatewayProxyEventSchema } from "@aws-lambda-powertools/parser/schemas";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echo, type FakeGateway, startFakeGateway } from "../helpers/gateway.ts";
import { request } from "../helpers/http.ts";

/** The emitted events, validated against an independent definition of the format. */
describe("proxy event (payload format 1.0)", () => {
  let api: FakeGateway;
  const behaviour = { current: echo };

  beforeAll(async () => {
    api = await startFakeGateway(
      {
        routes: [
          { method: "POST", path: "/model" },
          { method: "GET", path: "/v2/models/{name}/versions/{version}" },
          { method: "ANY", path: "/{proxy+}" },
        ],
        binaryMediaTypes: ["image/*", "application/octet-stream"],
      },
      behaviour,
    );
  });
  afterAll(() => api.close());

  async function eventOf(path: string, options: Parameters<typeof request>[1] = {}) {
    const reply = await request(`${api.base}${path}`, options);
    expect(reply.status).toBe(200);
    const event = api.events.at(-1)!;
    const parsed = APIGatewayProxyEventSchema.safeParse(event);
    expect(parsed.error?.issues ?? []).toEqual([]);
    return event as unknown as APIGatewayProxyEvent;
  }

  it("plain POST: path without the stage, requestContext.path with it, absent parts null", async () => {
    // Act
    const event = await eventOf("/model", {
      method: "POST",
      headers: [["Content-Type", "application/json"]],
      body: '{"inputs":[[1,2,3,4]]}',
    });

    // Assess
    expect(event).toMatchObject({
      resource: "/model",
      path: "/model",
      httpMethod: "POST",
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: '{"inputs":[[1,2,3,4]]}',
      isBase64Encoded: false,
    });
    const context = event.requestContext;
    expect(context).toMatchObject({
      path: "/prod/model",
      resourcePath: "/model",
      httpMethod: "POST",
      stage: "prod",
      protocol: "HTTP/1.1",
      accountId: "123456789012",
      identity: { sourceIp: "127.0.0.1", apiKey: null, user: null },
    });
    expect(context.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(context.requestTimeEpoch - Date.now())).toBeLessThan(60_000);
    expect(context.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(context.extendedRequestId).toHaveLength(16);
    expect(context).toHaveProperty("deploymentId", expect.stringMatching(/^[a-z0-9]{6}$/));
    expect(context.domainName).toMatch(/^127\.0\.0\.1:\d+$/);
    expect("authorizer" in context).toBe(false);
  });

  it("query string: URL-decoded, `+` as space, multiValue alongside", async () => {
    const event = await eventOf("/anything?q=hello+world&city=S%C3%A3o%20Paulo&flag");

    expect(event.queryStringParameters).toEqual({ q: "hello world", city: "São Paulo", flag: "" });
    expect(event.multiValueQueryStringParameters).toEqual({
      q: ["hello world"],
      city: ["São Paulo"],
      flag: [""],
    });
  });

  it("repeated query key: last value in queryStringParameters, all in multiValueQueryStringParameters", async () => {
    const event = await eventOf("/anything?id=1&id=2&id=3");

    expect(event.queryStringParameters).toEqual({ id: "3" });
    expect(event.multiValueQueryStringParameters).toEqual({ id: ["1", "2", "3"] });
  });

  it("path parameters: named and greedy, with the resource template", async () => {
    const named = await eventOf("/v2/models/iris/versions/2");
    const greedy = await eventOf("/a/b/c");

    expect(named).toMatchObject({
      resource: "/v2/models/{name}/versions/{version}",
      path: "/v2/models/iris/versions/2",
      pathParameters: { name: "iris", version: "2" },
    });
    expect(named.requestContext.resourcePath).toBe("/v2/models/{name}/versions/{version}");
    expect(greedy).toMatchObject({
      resource: "/{proxy+}",
      path: "/a/b/c",
      pathParameters: { proxy: "a/b/c" },
    });
  });

  it("binary media type: the body is base64 and isBase64Encoded is true; text stays text", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const binary = await eventOf("/upload", {
      method: "PUT",
      headers: [["Content-Type", "image/png"]],
      body: bytes,
    });
    const text = await eventOf("/upload", {
      method: "PUT",
      headers: [["Content-Type", "text/plain"]],
      body: "héllo",
    });

    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body ?? "", "base64")).toEqual(bytes);
    expect(text.isBase64Encoded).toBe(false);
    expect(text.body).toBe("héllo");
  });

  it("headers keep their casing; a repeated header is last-wins in headers and complete in multiValueHeaders", async () => {
    const event = await eventOf("/anything", {
      headers: [
        ["X-Custom-Header", "One"],
        ["x-lower", "two"],
        ["X-Repeated", "a"],
        ["X-Repeated", "b"],
        ["User-Agent", "modelgate-test"],
      ],
    });

    expect(event.headers).toMatchObject({ "X-Custom-Header": "One", "x-lower": "two", "X-Repeated": "b" });
    expect(event.multiValueHeaders).toMatchObject({ "X-Custom-Header": ["One"], "X-Repeated": ["a", "b"] });
    expect(event.headers["x-custom-header"]).toBeUndefined();
    expect(event.requestContext.identity.userAgent).toBe("modelgate-test");
  });

  it("adds the forwarding and trace headers API Gateway adds, appending to a client X-Forwarded-For", async () => {
    const event = await eventOf("/anything", { headers: [["X-Forwarded-For", "203.0.113.7"]] });

    expect(event.headers["X-Forwarded-For"]).toBe("203.0.113.7, 127.0.0.1");
    expect(event.headers["X-Forwarded-Proto"]).toBe("http");
    expect(event.headers["X-Amzn-Trace-Id"]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });
});
