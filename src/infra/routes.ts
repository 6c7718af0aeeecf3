import { createHash } from "node:crypto";
import type { HttpMethod, Route } from "../spec/index.ts";

/**
 * Pure route planning for the Pulumi component: the API Gateway resource tree (one resource per
 * path segment, shared prefixes once), the logical names of per-route children, the scoped
 * source ARN of each invoke permission, and the deployment trigger hash. No Pulumi here, so
 * each piece is testable on its own.
 */

/** One API Gateway resource: a path segment under its parent (`undefined` parent = the root). */
export interface ResourceNode {
  /** Full path up to and including this segment, e.g. `/v2/models/{name}`. */
  path: string;
  /** The segment, e.g. `{name}` or `{proxy+}`. */
  pathPart: string;
  /** Path of the parent resource; `undefined` for children of the API's root resource. */
  parentPath: string | undefined;
  /** PascalCase key for logical names, e.g. `V2ModelsName`. */
  key: string;
}

/** Methods that carry a request body, and so declare the Content-Type request header. */
const BODY_METHODS: ReadonlySet<HttpMethod> = new Set(["POST", "PUT", "PATCH", "ANY"]);

function segments(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

/** `{proxy+}` → `ProxyPlus`, `v2` → `V2`, `my-model` → `MyModel`. */
function pascal(segment: string): string {
  const plus = segment.endsWith("+}") ? "Plus" : "";
  return (
    segment
      .replace(/[{}+]/g, "")
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((word) => word[0]!.toUpperCase() + word.slice(1))
      .join("") + plus
  );
}

/** Logical-name key of a path: `/v2/models/{name}` → `V2ModelsName`, `/` → `Root`. */
export function pathKey(path: string): string {
  const parts = segments(path);
  return parts.length === 0 ? "Root" : parts.map(pascal).join("");
}

/** Logical-name key of a route: `POST /model` → `PostModel`. */
export function routeKey(route: Pick<Route, "method" | "path">): string {
  return pascal(route.method.toLowerCase()) + (route.path === "/" ? "Root" : pathKey(route.path));
}

/** The resource tree for a set of routes: every prefix once, parents before children. */
export function resourceTree(routes: readonly Pick<Route, "path">[]): ResourceNode[] {
  const nodes = new Map<string, ResourceNode>();
  for (const route of routes) {
    let parentPath: string | undefined;
    for (const part of segments(route.path)) {
      const path = `${parentPath ?? ""}/${part}`;
      if (!nodes.has(path)) nodes.set(path, { path, pathPart: part, parentPath, key: pathKey(path) });
      parentPath = path;
    }
  }
  const byKey = new Map<string, string>();
  for (const node of nodes.values()) {
    const other = byKey.get(node.key);
    if (other !== undefined)
      throw new RangeError(`routes: paths '${other}' and '${node.path}' map to the same resource name`);
    byKey.set(node.key, node.path);
  }
  return [...nodes.values()];
}

/** Whether a route's method declares `method.request.header.Content-Type`. */
export function declaresContentType(route: Pick<Route, "method">): boolean {
  return BODY_METHODS.has(route.method);
}

/**
 * The part of an invoke permission's source ARN after the execution ARN:
 * `/*\/POST/model`, with path parameters and `ANY` as `*` (the execute-api ARN format
 * `{api}/{stage}/{method}/{resource path}`).
 */
export function sourceArnSuffix(route: Pick<Route, "method" | "path">): string {
  const method = route.method === "ANY" ? "*" : route.method;
  const path = segments(route.path)
    .map((part) => (part.startsWith("{") ? "*" : part))
    .join("/");
  return `/*/${method}/${path}`;
}

/** What a deployment snapshot depends on: anything here changes → a new deployment. */
export interface DeploymentShape {
  routes: readonly Route[];
  binaryMediaTypes: readonly string[];
  integration: { type: string; httpMethod: string; timeoutMs: number; target: string };
}

/**
 * Stable hash of routes, methods and integrations for `Deployment.triggers`: order-independent
 * over routes and media types, so reordering the spec does not redeploy, but any change in a
 * path, method, authorization, request parameter or integration setting does.
 */
export function deploymentHash(shape: DeploymentShape): string {
  const routes = shape.routes
    .map((route) => ({
      method: route.method,
      path: route.path,
      authorization: route.authorization,
      contentType: declaresContentType(route),
    }))
    .sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
  const canonical = JSON.stringify({
    routes,
    binaryMediaTypes: [...shape.binaryMediaTypes].sort(),
    integration: shape.integration,
  });
  return createHash("sha256").update(canonical).digest("hex");
}
