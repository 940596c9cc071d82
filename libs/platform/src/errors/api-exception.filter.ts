import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { ErrorCode, type ApiErrorBody } from '@toonbank/shared';
import type { Response } from 'express';
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
 * The one place that turns any error into the contract's shape
 * `{ statusCode, code, message, details? }`. Unexpected errors are logged and answered
 * 500 without their internals.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode === 429 && typeof body.details?.retryAfterSeconds === 'number') {
      response.setHeader('Retry-After', String(body.details.retryAfterSeconds));
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof ApiError) return exception.toBody();
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      if (statusCode < 500) {
        const code = CODE_BY_STATUS[statusCode] ?? ErrorCode.RequestRefused;
        return { statusCode, code, message: this.messageOf(exception, statusCode) };
      }
      if (statusCode === 503) {
        return {
          statusCode,
          code: ErrorCode.Unavailable,
          message: this.messageOf(exception, statusCode),
        };
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
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return {
      statusCode: 500,
      code: ErrorCode.Internal,
      message: 'Something went wrong on our side.',
    };
  }

  private messageOf(exception: HttpException, statusCode: number): string {
    if (statusCode === 404) return 'Not found.';
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    return typeof message === 'string' ? message : exception.message;
  }
}
