/**
 * One error family with a status, shared by the handler and the gateway
 * (after powertools event-handler `HttpError`). Programming errors stay plain `Error`.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly errorType: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(statusCode: number, errorType: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = errorType;
    this.statusCode = statusCode;
    this.errorType = errorType;
    this.details = details;
  }

  toJSON(): Record<string, unknown> {
    return {
      error: this.errorType,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

function subclass(statusCode: number, errorType: string) {
  return class extends HttpError {
    constructor(message: string, details?: Record<string, unknown>) {
      super(statusCode, errorType, message, details);
    }
  };
}

export const BadRequestError = subclass(400, "BadRequest");
export const ForbiddenError = subclass(403, "Forbidden");
export const NotFoundError = subclass(404, "NotFound");
export const MethodNotAllowedError = subclass(405, "MethodNotAllowed");
export const PayloadTooLargeError = subclass(413, "PayloadTooLarge");
export const UnsupportedMediaTypeError = subclass(415, "UnsupportedMediaType");
export const UnprocessableEntityError = subclass(422, "UnprocessableEntity");
export const TooManyRequestsError = subclass(429, "TooManyRequests");
export const InternalServerError = subclass(500, "InternalServerError");
export const BadGatewayError = subclass(502, "BadGateway");
export const ServiceUnavailableError = subclass(503, "ServiceUnavailable");
export const GatewayTimeoutError = subclass(504, "GatewayTimeout");

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof HttpError;
}
