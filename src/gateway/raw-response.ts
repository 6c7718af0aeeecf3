import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { GatewayResponse, GatewayResponseType } from "./gateway-responses.ts";
import type { RequestIds } from "./ids.ts";

/**
 * Gateway responses written straight to a socket, for what never becomes a request object:
 * malformed HTTP, a head over Node's cap, a slow client (Node's `clientError`) and CONNECT.
 * The same JSON body and ids as every other gateway response, then the connection is closed.
 */

/**
 * How long a closing socket may take to flush its response before it is destroyed anyway
 * (a client that stops reading must not keep it open).
 */
export const RAW_RESPONSE_LINGER_MS = 2_000;

/** The gateway response for a `clientError` code, or `undefined` when the client is gone. */
export function rawClientErrorType(code: string | undefined): GatewayResponseType | undefined {
  switch (code) {
    case "ECONNRESET":
    case "EPIPE":
      return undefined;
    case "HPE_HEADER_OVERFLOW":
      return "HEADERS_TOO_LARGE";
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return "REQUEST_TOO_LARGE";
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return "REQUEST_TIMEOUT";
    default:
      return "BAD_REQUEST";
  }
}

/** Write `response` with the request ids and `Connection: close`, then close; returns the body length. */
export function writeRawResponse(socket: Socket, response: GatewayResponse, ids: RequestIds): number {
  const length = Buffer.byteLength(response.body);
  const lines = [
    `HTTP/1.1 ${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ""}`,
    "Content-Type: application/json",
    ...(response.errorType ? [`x-amzn-ErrorType: ${response.errorType}`] : []),
    `x-amzn-RequestId: ${ids.requestId}`,
    `x-amz-apigw-id: ${ids.extendedRequestId}`,
    `X-Amzn-Trace-Id: ${ids.traceId}`,
    `Date: ${new Date().toUTCString()}`,
    `Content-Length: ${length}`,
    "Connection: close",
  ];
  const linger = setTimeout(() => socket.destroy(), RAW_RESPONSE_LINGER_MS).unref();
  socket.once("close", () => clearTimeout(linger));
  socket.end(`${lines.join("\r\n")}\r\n\r\n${response.body}`, () => socket.destroy());
  return length;
}
