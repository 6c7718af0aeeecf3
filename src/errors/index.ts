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

export class BadRequestError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(400, "BadRequest", message, details);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(403, "Forbidden", message, details);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(404, "NotFound", message, details);
  }
}

export class MethodNotAllowedError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(405, "MethodNotAllowed", message, details);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(413, "PayloadTooLarge", message, details);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(415, "UnsupportedMediaType", message, details);
  }
}

export class UnprocessableEntityError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(422, "UnprocessableEntity", message, details);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(429, "TooManyRequests", message, details);
  }
}

export class InternalServerError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(500, "InternalServerError", message, details);
  }
}

export class BadGatewayError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(502, "BadGateway", message, details);
  }
}

export class ServiceUnavailableError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(503, "ServiceUnavailable", message, details);
  }
}

export class GatewayTimeoutError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(504, "GatewayTimeout", message, details);
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof HttpError;
}
