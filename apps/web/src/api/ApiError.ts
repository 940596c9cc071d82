import { ErrorCode, type ApiErrorBody } from '@toonbank/shared';

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** An answer of the API that was not a success, or no answer at all (`statusCode` 0). */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** From the `Retry-After` header of a 429 or 503, in seconds, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(body: ApiErrorBody, retryAfterSeconds?: number) {
    super(body.message);
    this.name = 'ApiError';
    this.statusCode = body.statusCode;
    this.code = body.code;
    this.details = body.details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The contract body, as the API sent it (or as close as could be made of a foreign answer). */
  get body(): ApiErrorBody {
    return {
      statusCode: this.statusCode,
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }

  /** The request never got an answer (offline, DNS, CORS, aborted proxy). */
  static network(cause: unknown): ApiError {
    const message = cause instanceof Error ? cause.message : 'Network error';
    return new ApiError({ statusCode: 0, code: ErrorCode.Unavailable, message });
  }
}

export const isApiError = (value: unknown): value is ApiError => value instanceof ApiError;

/** Whether `value` has the one error shape of API.md §Conventions. */
export const isApiErrorBody = (value: unknown): value is ApiErrorBody => {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return (
    typeof body.statusCode === 'number' &&
    typeof body.code === 'string' &&
    KNOWN_CODES.has(body.code) &&
    typeof body.message === 'string'
  );
};

/** A code for an answer that did not carry the contract body (a proxy page, an empty 502...). */
export const codeForStatus = (status: number): ErrorCode => {
  switch (status) {
    case 400:
      return ErrorCode.ValidationFailed;
    case 401:
      return ErrorCode.Unauthenticated;
    case 403:
      return ErrorCode.Forbidden;
    case 404:
      return ErrorCode.NotFound;
    case 409:
      return ErrorCode.Conflict;
    case 413:
      return ErrorCode.PayloadTooLarge;
    case 429:
      return ErrorCode.RateLimited;
    case 502:
    case 503:
    case 504:
      return ErrorCode.Unavailable;
    default:
      return ErrorCode.Internal;
  }
};
