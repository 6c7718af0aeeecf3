import { validateHeaderName, validateHeaderValue } from "node:http";
import { LIMITS } from "../spec/index.ts";
import { matchesMediaType } from "./event.ts";

/**
 * Turns a Lambda proxy result into the HTTP response API Gateway sends, or rejects it as
 * malformed (→ 502): unknown top-level keys, `{}`, a non-object, a non-numeric status, header
 * values that are not scalars, `multiValueHeaders` values that are not lists.
 */

export interface HttpResponse {
  statusCode: number;
  /** Header name and value pairs; a name may repeat (Set-Cookie). */
  headers: Array<[string, string]>;
  body: Buffer | string;
}

export type Translation = { ok: true; response: HttpResponse } | { ok: false; reason: string };

const ALLOWED_KEYS = new Set(["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]);

/** Integration headers that API Gateway renames to `x-amzn-Remapped-<name>`. */
export const REMAPPED_HEADERS = new Set(["connection", "content-length", "date", "server"]);
/**
 * `Transfer-Encoding` from the function is remapped too: the gateway frames its own responses
 * (unconfirmed; AWS lists only the four above).
 */
export const REMAPPED_FRAMING_HEADERS = new Set(["transfer-encoding"]);

/** Set-Cookie values stay separate header lines: joining them with `, ` would corrupt them. */
const UNJOINED = "set-cookie";

type Scalar = string | number | boolean;
const isScalar = (value: unknown): value is Scalar =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

function statusOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return 200;
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/** Merge `headers` and `multiValueHeaders` by case-insensitive name, first casing kept. */
function mergeHeaders(
  result: Record<string, unknown>,
): Map<string, { name: string; values: string[] }> | string {
  const merged = new Map<string, { name: string; values: string[] }>();
  const add = (name: string, value: Scalar) => {
    const key = name.toLowerCase();
    const text = String(value);
    const entry = merged.get(key);
    if (!entry) merged.set(key, { name, values: [text] });
    else if (!entry.values.includes(text)) entry.values.push(text);
  };
  const { headers, multiValueHeaders } = result;
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== "object" || Array.isArray(headers)) return "headers is not an object";
    for (const [name, value] of Object.entries(headers)) {
      if (value === null) continue;
      if (!isScalar(value)) return `header '${name}' is not a string, number or boolean`;
      add(name, value);
    }
  }
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (typeof multiValueHeaders !== "object" || Array.isArray(multiValueHeaders)) {
      return "multiValueHeaders is not an object";
    }
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (values === null) continue;
      if (!Array.isArray(values)) return `multiValueHeaders '${name}' is not a list`;
      for (const value of values) {
        if (!isScalar(value)) return `multiValueHeaders '${name}' holds a value that is not a scalar`;
        add(name, value);
      }
    }
  }
  return merged;
}

export function translateProxyResult(
  result: unknown,
  resultBytes: number,
  acceptHeader: string | undefined,
  binaryMediaTypes: readonly string[],
): Translation {
  if (resultBytes > LIMITS.lambdaPayloadBytes) return { ok: false, reason: "response over 6 MB" };
  if (typeof result !== "object" || result === null || Array.isArray(result)) {
    return { ok: false, reason: "result is not an object" };
  }
  const record = result as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 0) return { ok: false, reason: "result is empty" };
  const unknown = keys.find((key) => !ALLOWED_KEYS.has(key));
  if (unknown) return { ok: false, reason: `unknown key '${unknown}'` };
  const statusCode = statusOf(record.statusCode);
  if (statusCode === undefined) return { ok: false, reason: "statusCode is not a valid HTTP status" };
  const { body, isBase64Encoded } = record;
  if (body !== undefined && body !== null && typeof body !== "string")
    return { ok: false, reason: "body is not a string" };
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== "boolean") {
    return { ok: false, reason: "isBase64Encoded is not a boolean" };
  }
  const merged = mergeHeaders(record);
  if (typeof merged === "string") return { ok: false, reason: merged };

  const headers: Array<[string, string]> = [];
  let hasContentType = false;
  for (const [key, { name, values }] of merged) {
    const outName =
      REMAPPED_HEADERS.has(key) || REMAPPED_FRAMING_HEADERS.has(key) ? `x-amzn-Remapped-${name}` : name;
    const lines = key === UNJOINED ? values : [values.join(", ")];
    for (const value of lines) {
      try {
        validateHeaderName(outName);
        validateHeaderValue(outName, value);
      } catch {
        return { ok: false, reason: `header '${name}' has an invalid name or value` };
      }
      headers.push([outName, value]);
    }
    if (key === "content-type") hasContentType = true;
  }
  if (!hasContentType) headers.push(["Content-Type", "application/json"]);

  const text = typeof body === "string" ? body : "";
  const firstAccept = acceptHeader?.split(",")[0];
  const decode =
    isBase64Encoded === true && firstAccept !== undefined && matchesMediaType(firstAccept, binaryMediaTypes);
  return { ok: true, response: { statusCode, headers, body: decode ? Buffer.from(text, "base64") : text } };
}
