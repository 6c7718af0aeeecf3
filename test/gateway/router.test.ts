import { describe, expect, it } from "vitest";
import { Router } from "../../src/gateway/index.ts";

describe("Router", () => {
  const router = new Router("prod", [
    { method: "POST", path: "/model" },
    { method: "GET", path: "/v2/models/{name}" },
    { method: "POST", path: "/v2/models/{name}/infer" },
    { method: "GET", path: "/v2/models/special" },
    { method: "ANY", path: "/files/{proxy+}" },
  ]);

  it("matches a literal resource under the stage and strips the stage from the path", () => {
    // Act
    const result = router.match("POST", "/prod/model");

    // Assess
    expect(result).toEqual({ ok: true, match: { resource: "/model", pathParameters: null, path: "/model" } });
  });

  it("prefers a literal segment over a path parameter", () => {
    expect(router.match("GET", "/prod/v2/models/special")).toMatchObject({
      ok: true,
      match: { resource: "/v2/models/special", pathParameters: null },
    });
    expect(router.match("GET", "/prod/v2/models/iris")).toMatchObject({
      ok: true,
      match: { resource: "/v2/models/{name}", pathParameters: { name: "iris" } },
    });
  });

  it("backtracks from a literal to a parameter when the literal branch has no match", () => {
    expect(router.match("POST", "/prod/v2/models/special/infer")).toMatchObject({
      ok: true,
      match: { resource: "/v2/models/{name}/infer", pathParameters: { name: "special" } },
    });
  });

  it("decodes path parameters and captures a greedy {proxy+} with its slashes", () => {
    expect(router.match("DELETE", "/prod/files/a%20b/c.txt")).toMatchObject({
      ok: true,
      match: {
        resource: "/files/{proxy+}",
        pathParameters: { proxy: "a b/c.txt" },
        path: "/files/a%20b/c.txt",
      },
    });
  });

  it("tells a wrong stage, an unknown resource and an undefined method apart", () => {
    expect(router.match("POST", "/dev/model")).toEqual({ ok: false, reason: "stage" });
    expect(router.match("POST", "/prod/nothing")).toEqual({ ok: false, reason: "resource" });
    expect(router.match("GET", "/prod/model")).toEqual({ ok: false, reason: "method" });
    expect(router.match("GET", "/prod/files")).toEqual({ ok: false, reason: "resource" });
  });

  it("serves the root resource for /stage and /stage/", () => {
    const root = new Router("prod", [{ method: "ANY", path: "/" }]);
    expect(root.match("GET", "/prod")).toMatchObject({ ok: true, match: { resource: "/", path: "/" } });
    expect(root.match("GET", "/prod/")).toMatchObject({ ok: true, match: { resource: "/", path: "/" } });
    expect(root.match("GET", "/prod/x")).toEqual({ ok: false, reason: "resource" });
  });

  it("lists its resources and methods", () => {
    expect(router.resources()).toContainEqual({ resource: "/v2/models/{name}/infer", methods: ["POST"] });
  });
});
