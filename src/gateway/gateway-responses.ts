/**
 * API Gateway's own responses (gateway responses), with the bodies and `x-amzn-ErrorType`
 * headers the real service sends. See ../../shared/AWS-REFERENCE.md.
 */

export interface GatewayResponse {
  statusCode: number;
  body: string;
  /** `x-amzn-ErrorType`, when API Gateway sends one for this response. */
  errorType?: string;
}

export const GATEWAY_RESPONSES = {
  /** Unknown stage, resource, or a method not defined on the resource. */
  MISSING_AUTHENTICATION_TOKEN: {
    statusCode: 403,
    body: '{"message":"Missing Authentication Token"}',
    errorType: "MissingAuthenticationTokenException",
  },
  /**
   * Payload over 10 MB. The body is unconfirmed (no AWS document shows it); no
   * `x-amzn-ErrorType` either (unconfirmed).
   */
  REQUEST_TOO_LARGE: { statusCode: 413, body: '{"message":"Request Too Large"}' },
  /**
   * The event is over Lambda's 6 MB synchronous payload: Lambda refuses the invoke
   * (RequestTooLargeException). What API Gateway then returns is unconfirmed: 413 like its own
   * payload limit is the plausible choice.
   */
  INTEGRATION_REQUEST_TOO_LARGE: { statusCode: 413, body: '{"message":"Request Too Large"}' },
  /** Function error, timeout, crash, or a malformed proxy response. */
  INTEGRATION_FAILURE: {
    statusCode: 502,
    body: '{"message": "Internal server error"}',
    errorType: "InternalServerErrorException",
  },
  /** The integration timeout fired first (no `x-amzn-ErrorType`: unconfirmed). */
  INTEGRATION_TIMEOUT: { statusCode: 504, body: '{"message": "Endpoint request timed out"}' },
  /** Lambda throttled the invoke (concurrency limit); no `x-amzn-ErrorType` (unconfirmed). */
  FUNCTION_THROTTLED: { statusCode: 500, body: '{"message": "Internal server error"}' },
} as const satisfies Record<string, GatewayResponse>;

export type GatewayResponseType = keyof typeof GATEWAY_RESPONSES;
