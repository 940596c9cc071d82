import { HttpException } from '@nestjs/common';
import { ErrorCode, type ApiErrorBody, type ConflictReason } from '@toonbank/shared';

/** An error in the contract's shape; the global filter writes it out as it is. */
export class ApiError extends HttpException {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message, statusCode);
  }

  toBody(): ApiErrorBody {
    return {
      statusCode: this.statusCode,
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }

  static validation(message: string, fields: Record<string, string[]>): ApiError {
    return new ApiError(400, ErrorCode.ValidationFailed, message, {
      fields: Object.keys(fields),
      errors: fields,
    });
  }

  static unauthenticated(
    message = 'Sign in first: the access token is missing, invalid or expired.',
  ) {
    return new ApiError(401, ErrorCode.Unauthenticated, message);
  }

  static forbidden(message = 'Your role may not do this.') {
    return new ApiError(403, ErrorCode.Forbidden, message);
  }

  static notEligible(message = 'You may not respond to customers at the current maturity level.') {
    return new ApiError(403, ErrorCode.NotEligible, message);
  }

  static notFound(what = 'The resource') {
    return new ApiError(404, ErrorCode.NotFound, `${what} does not exist.`);
  }

  /** `reason` (`details.reason`): which state refused it, where a screen may say more. */
  static conflict(message: string, reason?: ConflictReason) {
    return new ApiError(409, ErrorCode.Conflict, message, reason ? { reason } : undefined);
  }

  static rateLimited(message: string, retryAfterSeconds: number) {
    return new ApiError(429, ErrorCode.RateLimited, message, { retryAfterSeconds });
  }
}
