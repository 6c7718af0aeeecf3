import type { Logger } from "../runtime/index.ts";

/**
 * One JSON access-log record per request, with the `$context` variables of an API Gateway
 * access log (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html).
 * Bodies are user data and are never logged.
 */

export interface AccessRecord {
  requestId: string;
  extendedRequestId: string;
  ip: string;
  requestTime: string;
  httpMethod: string;
  /** The matched resource template, or `-` when none matched. */
  resourcePath: string;
  path: string;
  status: number;
  protocol: string;
  responseLength: number;
  /** Milliseconds from request received to response sent. */
  responseLatency: number;
  /** Milliseconds spent in the Lambda invoke, or `-` without an integration call. */
  integrationLatency: number | "-";
  integrationStatus: number | "-";
  /** The gateway response type (`MISSING_AUTHENTICATION_TOKEN`…) or the integration error. */
  errorMessage?: string;
}

export function logAccess(logger: Logger, record: AccessRecord): void {
  logger.info("access", { source: "access", ...record });
}
