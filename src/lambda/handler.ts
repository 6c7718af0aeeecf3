import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { isHttpError, MethodNotAllowedError } from "../errors/index.ts";
import type { Model } from "../inference/model.ts";
import { formatPredictResponse, parsePredictRequest } from "../protocol/simple-json.ts";
import { readJsonBody } from "./request.ts";
import { errorResponse, internalErrorResponse, jsonResponse } from "./response.ts";

/** The structured logger the handler needs; Powertools' Logger is one. */
export interface HandlerLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export type ProxyHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

export interface HandlerOptions {
  model: Model;
  logger: HandlerLogger;
}

/**
 * `POST /model` as a REST API (v1) proxy handler over an already-loaded model. Every outcome
 * is a response: HttpErrors become their status, anything else a generic 500 (cause logged).
 * Logs carry ids, latency and status, never bodies: they are user data.
 */
export function createHandler({ model, logger }: HandlerOptions): ProxyHandler {
  return async (event, context) => {
    const started = performance.now();
    let result: APIGatewayProxyResult;
    let batch: number | undefined;
    try {
      if (event.httpMethod !== "POST") {
        throw new MethodNotAllowedError(
          `method ${event.httpMethod} is not allowed on ${event.path}: use POST`,
        );
      }
      const request = parsePredictRequest(model.info, readJsonBody(event));
      batch = Object.values(request.feeds)[0]?.dims[0];
      const outputs = await model.run(request.feeds);
      result = jsonResponse(200, formatPredictResponse(model.info, request.form, outputs));
    } catch (error) {
      result = failure(error, logger, event, context);
    }
    logger.info("invocation", {
      requestId: event.requestContext?.requestId,
      awsRequestId: context?.awsRequestId,
      model: model.info.name,
      status: result.statusCode,
      batch,
      latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
    });
    return result;
  };
}

function failure(
  error: unknown,
  logger: HandlerLogger,
  event: APIGatewayProxyEvent,
  context: Context | undefined,
): APIGatewayProxyResult {
  const ids = { requestId: event?.requestContext?.requestId, awsRequestId: context?.awsRequestId };
  if (isHttpError(error)) {
    logger.warn("request rejected", { ...ids, status: error.statusCode, reason: error.message });
    return errorResponse(error, error.statusCode === 405 ? { Allow: "POST" } : undefined);
  }
  logger.error("unexpected error", { ...ids, error });
  return internalErrorResponse();
}
