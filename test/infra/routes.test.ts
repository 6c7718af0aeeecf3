import { describe, expect, it } from "vitest";
import { deploymentHash, resourceTree, routeKey, sourceArnSuffix } from "../../src/infra/routes.ts";
import type { Route } from "../../src/spec/index.ts";

const integration = { type: "AWS_PROXY", httpMethod: "POST", timeoutMs: 29_000, target: "function" };
const route = (method: Route["method"], path: string): Route => ({ method, path, authorization: "NONE" });

describe("route planning", () => {
  it("names routes and scopes source ARNs, path parameters and ANY as *", () => {
    expect(routeKey(route("POST", "/model"))).toBe("PostModel");
    expect(routeKey(route("GET", "/"))).toBe("GetRoot");
    expect(sourceArnSuffix(route("GET", "/"))).toBe("/*/GET/");
    expect(sourceArnSuffix(route("POST", "/v2/models/{name}/versions/{v}/infer"))).toBe(
      "/*/POST/v2/models/*/versions/*/infer",
    );
    expect(sourceArnSuffix(route("ANY", "/{proxy+}"))).toBe("/*/*/*");
  });

  it("lists each prefix once, parents first", () => {
    const tree = resourceTree([
      route("GET", "/v2/health/live"),
      route("GET", "/v2/health/ready"),
      route("GET", "/"),
    ]);
    expect(tree.map((node) => [node.path, node.parentPath])).toEqual([
      ["/v2", undefined],
      ["/v2/health", "/v2"],
      ["/v2/health/live", "/v2/health"],
      ["/v2/health/ready", "/v2/health"],
    ]);
  });

  it("refuses two paths that would share a logical name", () => {
    expect(() => resourceTree([route("GET", "/my-model"), route("GET", "/myModel")])).toThrow(
      /'\/my-model' and '\/myModel' map to the same resource name/,
    );
  });

  it("hashes routes independently of their order", () => {
    const a = [route("POST", "/model"), route("GET", "/v2/health/live")];
    const hash = deploymentHash({ routes: a, binaryMediaTypes: ["image/png", "image/jpeg"], integration });
    expect(
      deploymentHash({
        routes: [...a].reverse(),
        binaryMediaTypes: ["image/jpeg", "image/png"],
        integration,
      }),
    ).toBe(hash);
    expect(deploymentHash({ routes: a, binaryMediaTypes: ["image/png"], integration })).not.toBe(hash);
    expect(
      deploymentHash({ routes: [route("PUT", "/model"), a[1]!], binaryMediaTypes: [], integration }),
    ).not.toBe(deploymentHash({ routes: a, binaryMediaTypes: [], integration }));
  });
});
