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
  /** A fault inside the gateway (the DEFAULT_5XX gateway response): the generic 500. */
  INTERNAL_ERROR: { statusCode: 500, body: '{"message": "Internal server error"}' },
  /** Stage or account throttling refused the request; body unconfirmed, as is the lack of `x-amzn-ErrorType`. */
  THROTTLED: { statusCode: 429, body: '{"message":"Too Many Requests"}' },
  /** Lambda throttled the invoke (concurrency limit); no `x-amzn-ErrorType` (unconfirmed). */
  FUNCTION_THROTTLED: { statusCode: 500, body: '{"message": "Internal server error"}' },
  /**
   * All header values together over 10,240 bytes (./limits.ts), or a request head over Node's
   * own cap. The limit is documented; the status and body are unconfirmed: 431 is HTTP's status
   * for it (RFC 6585), with the reason phrase as the message.
   */
  HEADERS_TOO_LARGE: { statusCode: 431, body: '{"message":"Request Header Fields Too Large"}' },
  /**
   * The URL (path and query) over 10,240 characters (./limits.ts). The limit is documented; the
   * status and body are unconfirmed: 414 is HTTP's status for it, with its classic reason phrase.
   */
  URI_TOO_LONG: { statusCode: 414, body: '{"message":"Request-URI Too Large"}' },
  /**
   * The client did not send its headers or its whole body in time (slowloris, a truncated body
   * that stalls). AWS documents no such timeout: status and body are unconfirmed; 408 is HTTP's
   * status for it and what Node itself sends.
   */
  REQUEST_TIMEOUT: { statusCode: 408, body: '{"message":"Request Timeout"}' },
  /**
   * Malformed HTTP (Node's parser refuses the request). What API Gateway's front end answers is
   * unconfirmed: 400 with the reason phrase, as Node sends.
   */
  BAD_REQUEST: { statusCode: 400, body: '{"message":"Bad Request"}' },
} as const satisfies Record<string, GatewayResponse>;

export type GatewayResponseType = keyof typeof GATEWAY_RESPONSES;
