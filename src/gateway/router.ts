import type { HttpMethod, Route } from "../spec/index.ts";

/**
 * API Gateway REST resource matching: a tree of resources under the stage, where a literal
 * segment wins over `{param}`, which wins over a final `{proxy+}`; the method must be defined
 * on the matched resource (or `ANY`), else the request gets 403 Missing Authentication Token.
 */

/**
 * Path parameter values are URL-decoded, as API Gateway REST passes them (unconfirmed: no AWS
 * document states it; serverless-offline and SAM local decode them too).
 */
export const DECODE_PATH_PARAMETERS = true;

/**
 * A trailing slash (`/prod/model/`) matches the resource without it (unconfirmed; observed on
 * REST APIs).
 */
export const IGNORE_TRAILING_SLASH = true;

export interface RouteMatch {
  /** The resource template, e.g. `/v2/models/{name}/infer`. */
  resource: string;
  /** Path parameters; `null` when the resource has none (as in the event). */
  pathParameters: Record<string, string> | null;
  /** The request path without the stage, e.g. `/model`. */
  path: string;
}

export type MatchResult =
  | { ok: true; match: RouteMatch }
  | { ok: false; reason: "stage" | "resource" | "method" };

interface ResourceNode {
  resource: string;
  literals: Map<string, ResourceNode>;
  param: { name: string; node: ResourceNode } | undefined;
  greedy: { name: string; node: ResourceNode } | undefined;
  methods: Set<HttpMethod>;
}

function node(resource: string): ResourceNode {
  return { resource, literals: new Map(), param: undefined, greedy: undefined, methods: new Set() };
}

function decode(segment: string): string {
  if (!DECODE_PATH_PARAMETERS || !segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export class Router {
  readonly stage: string;
  readonly #root = node("/");

  constructor(stage: string, routes: ReadonlyArray<Pick<Route, "method" | "path">>) {
    this.stage = stage;
    for (const route of routes) this.#add(route.method, route.path);
  }

  /** Every resource path with its methods (for the startup banner and docs). */
  resources(): Array<{ resource: string; methods: HttpMethod[] }> {
    const out: Array<{ resource: string; methods: HttpMethod[] }> = [];
    const walk = (n: ResourceNode) => {
      if (n.methods.size > 0) out.push({ resource: n.resource, methods: [...n.methods] });
      for (const child of n.literals.values()) walk(child);
      if (n.param) walk(n.param.node);
      if (n.greedy) walk(n.greedy.node);
    };
    walk(this.#root);
    return out;
  }

  /** Match a raw request path (with the stage, without the query). */
  match(method: string, rawPath: string): MatchResult {
    const segments = rawPath.split("/");
    // segments[0] is "" (leading slash), segments[1] the stage.
    if (segments[1] !== this.stage) return { ok: false, reason: "stage" };
    let rest = segments.slice(2);
    if (IGNORE_TRAILING_SLASH && rest.length > 0 && rest[rest.length - 1] === "") rest = rest.slice(0, -1);
    const params: Record<string, string> = {};
    const found = this.#find(this.#root, rest, 0, params);
    if (!found) return { ok: false, reason: "resource" };
    if (!found.methods.has(method as HttpMethod) && !found.methods.has("ANY"))
      return { ok: false, reason: "method" };
    const path = rawPath.slice(this.stage.length + 1) || "/";
    const hasParams = Object.keys(params).length > 0;
    return { ok: true, match: { resource: found.resource, pathParameters: hasParams ? params : null, path } };
  }

  #find(
    n: ResourceNode,
    segments: string[],
    at: number,
    params: Record<string, string>,
  ): ResourceNode | undefined {
    if (at === segments.length) return n.methods.size > 0 ? n : undefined;
    const segment = segments[at]!;
    if (segment === "") return undefined;
    const literal = n.literals.get(decode(segment));
    const viaLiteral = literal && this.#find(literal, segments, at + 1, params);
    if (viaLiteral) return viaLiteral;
    if (n.param) {
      const viaParam = this.#find(n.param.node, segments, at + 1, params);
      if (viaParam) {
        params[n.param.name] = decode(segment);
        return viaParam;
      }
    }
    if (n.greedy && n.greedy.node.methods.size > 0) {
      params[n.greedy.name] = segments.slice(at).map(decode).join("/");
      return n.greedy.node;
    }
    return undefined;
  }

  #add(method: HttpMethod, resourcePath: string): void {
    let current = this.#root;
    const parts = resourcePath.split("/").filter((part) => part !== "");
    let prefix = "";
    for (const part of parts) {
      prefix += `/${part}`;
      const greedy = /^\{(.+)\+\}$/.exec(part);
      const param = /^\{(.+)\}$/.exec(part);
      if (greedy) {
        current.greedy ??= { name: greedy[1]!, node: node(prefix) };
        current = current.greedy.node;
      } else if (param) {
        current.param ??= { name: param[1]!, node: node(prefix) };
        current = current.param.node;
      } else {
        let next = current.literals.get(part);
        if (!next) {
          next = node(prefix);
          current.literals.set(part, next);
        }
        current = next;
      }
    }
    current.methods.add(method);
  }
}
