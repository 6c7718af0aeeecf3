import type { APIGatewayProxyResult } from "aws-lambda";
import type { HttpError } from "../errors/index.ts";

const JSON_HEADERS = { "Content-Type": "application/json" } as const;

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(error: HttpError, headers?: Record<string, string>): APIGatewayProxyResult {
  return jsonResponse(error.statusCode, error.toJSON(), headers);
}

/** What a client sees for an unexpected failure: nothing about the cause (that goes to the log). */
export function internalErrorResponse(): APIGatewayProxyResult {
  return jsonResponse(500, { error: "InternalServerError", message: "Internal server error" });
}
