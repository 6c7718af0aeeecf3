import type { APIGatewayProxyEvent } from "aws-lambda";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from "../errors/index.ts";
import { LIMITS } from "../spec/limits.ts";

/**
 * Reads the JSON body out of a REST API (v1) proxy event: header lookup, base64, size,
 * UTF-8 and JSON, each failure a 4xx that says what was wrong.
 */

/** Header lookup that ignores case: API Gateway keeps the client's casing. */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  for (const [key, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === wanted && values?.[0] !== undefined) return values[0];
  }
  return undefined;
}

/** JSON media types: `application/json`, `application/*+json`, with any parameters. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

function checkContentType(event: APIGatewayProxyEvent): void {
  const contentType = header(event, "content-type");
  // No Content-Type: take the body as JSON, as most JSON APIs do for hand-written requests.
  if (contentType === undefined || contentType.trim() === "") return;
  const mediaType = contentType.split(";")[0]!.trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new UnsupportedMediaTypeError(`unsupported Content-Type '${mediaType}': send application/json`);
  }
  const charset = /;\s*charset="?([^";\s]+)/i.exec(contentType)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new UnsupportedMediaTypeError(`unsupported charset '${charset}': send UTF-8`);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function bodyText(event: APIGatewayProxyEvent): string {
  const body = event.body ?? "";
  if (!event.isBase64Encoded) {
    // A UTF-8 character is at most 3 bytes per UTF-16 unit: short bodies need no byte count.
    if (body.length * 3 > LIMITS.lambdaPayloadBytes) {
      const bytes = Buffer.byteLength(body);
      if (bytes > LIMITS.lambdaPayloadBytes) throw tooLarge(bytes);
    }
    return body;
  }
  const compact = body.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new BadRequestError("body is marked isBase64Encoded but is not valid base64");
  }
  const bytes = Buffer.from(compact, "base64");
  if (bytes.length > LIMITS.lambdaPayloadBytes) throw tooLarge(bytes.length);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new BadRequestError("body is not valid UTF-8");
  }
}

function tooLarge(bytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `request body is ${bytes} bytes; the limit is ${LIMITS.lambdaPayloadBytes} bytes (Lambda's 6 MB payload)`,
  );
}

/** The parsed JSON body of a prediction request. */
export function readJsonBody(event: APIGatewayProxyEvent): unknown {
  checkContentType(event);
  const text = bodyText(event);
  if (text.trim() === "") throw new BadRequestError(`request body is empty: send {"inputs": ...}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`request body is not valid JSON: ${(error as Error).message}`);
  }
}
