import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { ErrorCode, type ApiErrorBody } from '@toonbank/shared';
import type { Response } from 'express';
import { retryableTransactionError } from '../database/transactions';
import { ApiError } from './api-error';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  429: ErrorCode.RateLimited,
  503: ErrorCode.Unavailable,
};

/** Errors raised by the HTTP stack itself (body-parser): they carry `status` and `type`. */
interface HttpStackError {
  status: number;
  type?: string;
  message: string;
}
const isHttpStackError = (error: unknown): error is HttpStackError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as HttpStackError).status === 'number' &&
  (error as HttpStackError).status >= 400 &&
  (error as HttpStackError).status < 500;

/**
 * Any error in the contract's shape `{ statusCode, code, message, details? }`. Unexpected
 * errors are logged (with their stack) and become 500 without their internals.
 */
export function apiErrorBody(exception: unknown, logger: Pick<Logger, 'error'>): ApiErrorBody {
  if (exception instanceof ApiError) return exception.toBody();
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    if (statusCode < 500) {
      const code = CODE_BY_STATUS[statusCode] ?? ErrorCode.RequestRefused;
      return { statusCode, code, message: messageOf(exception, statusCode) };
    }
    if (statusCode === 503) {
      return { statusCode, code: ErrorCode.Unavailable, message: messageOf(exception, statusCode) };
    }
  }
  if (isHttpStackError(exception)) {
    if (exception.type === 'entity.parse.failed') {
      return {
        statusCode: 400,
        code: ErrorCode.ValidationFailed,
        message: 'The request body is not valid JSON.',
        details: { fields: [], errors: {} },
      };
    }
    return {
      statusCode: exception.status,
      code: CODE_BY_STATUS[exception.status] ?? ErrorCode.RequestRefused,
      message: exception.message,
    };
  }
  if (retryableTransactionError(exception)) {
    // Still aborted after inTransaction's attempts: what the request judged changed under it.
    return {
      statusCode: 409,
      code: ErrorCode.Conflict,
      message: 'The data changed while the request ran; read it again and retry.',
    };
  }
  logger.error(exception instanceof Error ? exception.stack : String(exception));
  return {
    statusCode: 500,
    code: ErrorCode.Internal,
    message: 'Something went wrong on our side.',
  };
}

/** Writes an error answer (with Retry-After on a 429 that says when). */
export function sendApiError(response: Response, body: ApiErrorBody): void {
  if (body.statusCode === 429 && typeof body.details?.retryAfterSeconds === 'number') {
    response.setHeader('Retry-After', String(body.details.retryAfterSeconds));
  }
  response.status(body.statusCode).json(body);
}

function messageOf(exception: HttpException, statusCode: number): string {
  if (statusCode === 404) return 'Not found.';
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return typeof message === 'string' ? message : exception.message;
}

/** The one global filter: every error of an HTTP handler, answered in the contract's shape. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    sendApiError(host.switchToHttp().getResponse<Response>(), apiErrorBody(exception, this.logger));
  }
}
