import { LIMITS } from "../spec/index.ts";

/**
 * What the gateway refuses before it builds an event: oversized request lines and headers, and
 * clients too slow to finish a request. API Gateway's own limits come from the quotas (see
 * ../../shared/AWS-REFERENCE.md); the HTTP timeouts are the emulator's guard against slow clients
 * (slowloris), since AWS documents none of them.
 */

/**
 * All header values together: 10,240 bytes (API Gateway REST quotas). Names, separators and the
 * request line are not counted. Node decodes header bytes as latin1, so a value's `length` is its
 * size in bytes.
 */
export const GATEWAY_HEADER_VALUE_BYTES = LIMITS.gatewayHeaderBytes;

/**
 * Length of the URL (path and query), in characters: 10,240 for a regional API, 8,192 for an
 * edge-optimized one (API Gateway REST quotas: "Length, in characters, of the URL"). The emulator
 * is a regional API.
 */
export const GATEWAY_URL_MAX_CHARS = 10_240;

/**
 * Node's own cap on the request line and headers together (its default is 16 KiB). Raised well
 * above the two gateway limits so that requests over them reach the gateway's checks and get a
 * JSON gateway response instead of Node's bare 431; a head over this still gets a JSON 431 (from
 * the `clientError` handler).
 */
export const NODE_MAX_HEADER_SIZE = 64 * 1024;

/** Socket timeouts of the gateway's HTTP server, in milliseconds. */
export interface ConnectionTimeouts {
  /** Time to receive the request line and headers (node `headersTimeout`). */
  headersTimeoutMs: number;
  /**
   * Time to receive the whole request, body included (node `requestTimeout`); the integration
   * call is not counted. Must be at least `headersTimeoutMs`.
   */
  requestTimeoutMs: number;
  /** Idle time of a keep-alive connection between requests (node `keepAliveTimeout`). */
  keepAliveTimeoutMs: number;
  /** How often the two request timeouts are checked (node `connectionsCheckingInterval`). */
  connectionsCheckingIntervalMs: number;
}

/**
 * The slow-client timeouts. API Gateway documents none of them (unconfirmed): 10 s to send the
 * headers stops a slowloris client early while any real client is far faster; 60 s for the whole
 * request lets a 10 MB body through on a slow link; 5 s of keep-alive idleness is Node's default;
 * checking every second keeps a timeout's overshoot small (Node checks every 30 s by default).
 */
export const DEFAULT_CONNECTION_TIMEOUTS: ConnectionTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000,
};

/** Defaults completed and checked: Node refuses a `headersTimeout` over `requestTimeout`. */
export function connectionTimeouts(overrides: Partial<ConnectionTimeouts> = {}): ConnectionTimeouts {
  const timeouts = { ...DEFAULT_CONNECTION_TIMEOUTS, ...overrides };
  for (const [name, value] of Object.entries(timeouts)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(`connection timeout '${name}': expected a positive integer, got ${value}`);
    }
  }
  if (timeouts.headersTimeoutMs > timeouts.requestTimeoutMs) {
    throw new RangeError(
      `connection timeout 'headersTimeoutMs' (${timeouts.headersTimeoutMs}) is over 'requestTimeoutMs' (${timeouts.requestTimeoutMs})`,
    );
  }
  return timeouts;
}

/** Which limit, if any, a request's head breaks. */
export function headLimitBroken(
  url: string,
  rawHeaders: readonly string[],
): "URI_TOO_LONG" | "HEADERS_TOO_LARGE" | undefined {
  if (url.length > GATEWAY_URL_MAX_CHARS) return "URI_TOO_LONG";
  let bytes = 0;
  for (let i = 1; i < rawHeaders.length; i += 2) bytes += rawHeaders[i]!.length;
  return bytes > GATEWAY_HEADER_VALUE_BYTES ? "HEADERS_TOO_LARGE" : undefined;
}
