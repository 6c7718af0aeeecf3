import { createHash, randomUUID } from "node:crypto";

/**
 * Identifiers API Gateway puts on every request: the request id (`x-amzn-RequestId`,
 * `requestContext.requestId`), the extended id (`x-amz-apigw-id`), the X-Ray trace header,
 * and the stable ids of the API, its resources and its deployment.
 */

export interface RequestIds {
  requestId: string;
  extendedRequestId: string;
  traceId: string;
}

/**
 * Random hex from `randomUUID()`, which draws from a cached entropy pool: per-request ids cost
 * no `randomBytes` call (a measurable share of the gateway's CPU time per request).
 */
function randomHex(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(15, 18) + uuid.slice(20, 23) + uuid.slice(24);
}

/** A 16-character id like `BQGojGz7PHcFhhg=` (11 random bytes, base64). */
function extendedId(): string {
  return Buffer.from(randomHex().slice(0, 22), "hex").toString("base64");
}

/** `Root=1-<epoch seconds, hex>-<96 random bits, hex>`; a client's own Root is kept. */
function traceHeader(incoming: string | undefined): string {
  if (incoming && /(?:^|;)\s*Root=1-[0-9a-f]{8}-[0-9a-f]{24}/i.test(incoming)) return incoming;
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, "0");
  return `Root=1-${seconds}-${randomHex().slice(0, 24)}`;
}

export function requestIds(incomingTraceHeader: string | undefined): RequestIds {
  return {
    requestId: randomUUID(),
    extendedRequestId: extendedId(),
    traceId: traceHeader(incomingTraceHeader),
  };
}

/** Stable lowercase alphanumeric id of `length` characters derived from `seed`. */
export function stableId(seed: string, length: number): string {
  const digest = createHash("sha256").update(seed).digest();
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[digest[i]! % alphabet.length];
  return out;
}

/** A fresh deployment id for one server start (a new deployment each time). */
export function deploymentId(): string {
  return stableId(randomUUID(), 6);
}
