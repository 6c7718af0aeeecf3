import type { APIGatewayProxyEvent } from "aws-lambda";
import { LOCAL_ACCOUNT_ID } from "../runtime/index.ts";
import type { RequestIds } from "./ids.ts";
import type { RouteMatch } from "./router.ts";

/**
 * The Lambda proxy integration event, payload format 1.0, as API Gateway REST builds it:
 * absent parameters are `null`, header casing is kept, a repeated query key keeps its last value
 * in `queryStringParameters` and all values in `multiValueQueryStringParameters`, and the body
 * is base64 when its `Content-Type` is one of the API's binary media types.
 */

export interface ApiIdentity {
  apiId: string;
  stage: string;
  deploymentId: string;
  /** Resource id of each resource template. */
  resourceIds: ReadonlyMap<string, string>;
  binaryMediaTypes: readonly string[];
}

export interface EventInput {
  method: string;
  /** Raw request path with the stage, without the query. */
  rawPath: string;
  /** Raw query string without `?` (may be empty). */
  rawQuery: string;
  /** Node's `rawHeaders`: name, value, name, value… with the sender's casing. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  localPort: number;
  match: RouteMatch;
  ids: RequestIds;
  /** Epoch milliseconds at which the request arrived. */
  receivedAt: number;
}

/** `requestContext` as sent: no `authorizer` key without an authorizer; `deploymentId` (missing from @types/aws-lambda). */
type RequestContext = Omit<APIGatewayProxyEvent["requestContext"], "authorizer"> & { deploymentId: string };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

let clfSecond = -1;
let clfText = "";

/** Common Log Format time, as `requestContext.requestTime`: `09/Apr/2015:12:34:56 +0000`. */
export function clfTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== clfSecond) {
    const d = new Date(epochMs);
    clfText = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
    clfSecond = second;
  }
  return clfText;
}

/** Does a media type (parameters ignored) match one of the patterns (`type/sub`, `type/*`, `*\/*`)? */
export function matchesMediaType(mediaType: string | undefined, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return false;
  if (patterns.includes("*/*")) return true;
  if (!mediaType) return false;
  const type = mediaType.split(";")[0]!.trim().toLowerCase();
  const slash = type.indexOf("/");
  for (const pattern of patterns) {
    const p = pattern.trim().toLowerCase();
    if (p === type) return true;
    if (p.endsWith("/*") && slash > 0 && p.slice(0, -2) === type.slice(0, slash)) return true;
  }
  return false;
}

/**
 * An object keyed by client-chosen names (query keys, header names): no prototype, so keys like
 * `__proto__`, `constructor` or `valueOf` are plain entries, not inherited members.
 */
function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function decodeQueryComponent(text: string): string {
  const spaced = text.includes("+") ? text.replace(/\+/g, " ") : text;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export function parseQuery(rawQuery: string): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  if (rawQuery === "") return { single: null, multi: null };
  const single = dictionary<string>();
  const multi = dictionary<string[]>();
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decodeQueryComponent(eq >= 0 ? pair.slice(0, eq) : pair);
    const value = eq >= 0 ? decodeQueryComponent(pair.slice(eq + 1)) : "";
    single[key] = value;
    const values = multi[key];
    if (values) values.push(value);
    else multi[key] = [value];
  }
  return Object.keys(single).length === 0 ? { single: null, multi: null } : { single, multi };
}

/** Headers as sent, plus the ones API Gateway adds on the way to the integration. */
function eventHeaders(input: EventInput): {
  single: Record<string, string>;
  multi: Record<string, string[]>;
} {
  const single = dictionary<string>();
  const multi = dictionary<string[]>();
  const raw = input.rawHeaders;
  const put = (name: string, value: string, replace: boolean) => {
    single[name] = value;
    const values = multi[name];
    if (values && !replace) values.push(value);
    else multi[name] = [value];
  };
  let forwardedFor: string | undefined;
  let forwardedForName = "X-Forwarded-For";
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (lower === "x-forwarded-for") {
      forwardedFor = forwardedFor ? `${forwardedFor}, ${raw[i + 1]}` : raw[i + 1]!;
      forwardedForName = name;
      continue;
    }
    if (lower === "x-amzn-trace-id" || lower === "x-forwarded-port" || lower === "x-forwarded-proto")
      continue;
    put(name, raw[i + 1]!, false);
  }
  put(forwardedForName, forwardedFor ? `${forwardedFor}, ${input.sourceIp}` : input.sourceIp, true);
  put("X-Forwarded-Port", String(input.localPort), true);
  put("X-Forwarded-Proto", "http", true);
  put("X-Amzn-Trace-Id", input.ids.traceId, true);
  return { single, multi };
}

function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const name in headers) if (name.toLowerCase() === lowerName) return headers[name];
  return undefined;
}

export function buildEvent(input: EventInput, api: ApiIdentity): APIGatewayProxyEvent {
  const headers = eventHeaders(input);
  const query = parseQuery(input.rawQuery);
  const host = headerValue(headers.single, "host") ?? `127.0.0.1:${input.localPort}`;
  const userAgent = headerValue(headers.single, "user-agent") ?? null;
  const binary = matchesMediaType(headerValue(headers.single, "content-type"), api.binaryMediaTypes);
  const body = input.body.length === 0 ? null : input.body.toString(binary ? "base64" : "utf8");
  const { match } = input;
  const requestContext: RequestContext = {
    resourceId: api.resourceIds.get(match.resource) ?? "000000",
    resourcePath: match.resource,
    httpMethod: input.method,
    extendedRequestId: input.ids.extendedRequestId,
    requestTime: clfTime(input.receivedAt),
    path: input.rawPath,
    accountId: LOCAL_ACCOUNT_ID,
    protocol: "HTTP/1.1",
    stage: api.stage,
    domainPrefix: host.split(".")[0]!.split(":")[0]!,
    requestTimeEpoch: input.receivedAt,
    requestId: input.ids.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: input.sourceIp,
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent,
      user: null,
      apiKey: null,
      apiKeyId: null,
      clientCert: null,
    },
    domainName: host,
    deploymentId: api.deploymentId,
    apiId: api.apiId,
  };
  return {
    resource: match.resource,
    path: match.path,
    httpMethod: input.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: match.pathParameters,
    stageVariables: null,
    // No authorizer: `undefined` leaves the key out of the serialized event, as API Gateway does.
    requestContext: { ...requestContext, authorizer: undefined },
    body,
    isBase64Encoded: binary && body !== null,
  };
}
