import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  ApiError,
  apiErrorBody,
  MAX_BODY_DEPTH,
  fieldNestedBeyond,
  sendApiError,
} from '@toonbank/platform';
import { json, type NextFunction, type Request, type Response } from 'express';

/**
 * The largest JSON body of an API request. The contract's largest legitimate body is a tone
 * profile at its maxima (200 forbidden phrases of 100 + 200 characters, about 180 kB in a
 * script of 3 UTF-8 bytes a character); bodies of 1 MB and more are refused.
 */
export const BODY_LIMIT_BYTES = 256 * 1024;
/** Meta batches webhook deliveries (up to 1,000 changes in one POST). */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;
/** The webhook checks its signature over the exact bytes received. */
const WEBHOOK_PATH = '/api/webhooks';
/**
 * A channel's delivery batches many items: one nested deeper than the API allows must not cost
 * the others, so the ingest screens each item (deeper than 100 levels: quarantined). The body
 * as a whole still has a ceiling: it goes into a job through JSON.stringify, which recurses.
 */
export const MAX_WEBHOOK_BODY_DEPTH = 1000;
/** Requests whose body the webhook's parser read (the same route match as the controller's). */
const webhookBodies = new WeakSet<Request>();

const keepRawBody = (
  request: IncomingMessage & { rawBody?: Buffer },
  _response: unknown,
  body: Buffer,
) => {
  request.rawBody = body;
};

/** A body that no JSON parser read (another content type) is not the contract's JSON. */
function refuseOtherBodies(request: Request, _response: Response, next: NextFunction): void {
  const hasContent = request.headers['content-length'] !== '0';
  if (hasContent && request.is('application/json') === false) {
    next(
      new ApiError(
        400,
        'validation.failed',
        'The request body must be JSON (Content-Type: application/json).',
        { fields: [], errors: {} },
      ),
    );
    return;
  }
  next();
}

/** Nested objects and arrays are refused before anything recurses over them. */
function refuseDeepBodies(request: Request, _response: Response, next: NextFunction): void {
  const limit = webhookBodies.has(request) ? MAX_WEBHOOK_BODY_DEPTH : MAX_BODY_DEPTH;
  const top = fieldNestedBeyond(request.body, limit);
  if (top === undefined) {
    next();
    return;
  }
  const field = top || '(body)';
  next(
    ApiError.validation(`The request body is nested deeper than ${limit} levels.`, {
      [field]: [`${field} is nested deeper than ${limit} levels`],
    }),
  );
}

/**
 * Answers the errors of reading a body (not JSON, too large, too deep), and any other error
 * of the middleware before it, in the contract's shape at once. Left to Express they would
 * bypass the API's exception filter (no answer in the contract's shape).
 */
function answerMiddlewareErrors(logger: Logger) {
  return (error: unknown, _request: Request, response: Response, _next: NextFunction): void => {
    sendApiError(response, apiErrorBody(error, logger));
  };
}

/**
 * JSON bodies for the API (the application is created with `bodyParser: false`): the size
 * limits, the raw bytes for the webhook's signature, the nesting limits, and their errors as
 * the contract's 400 and 413.
 */
export function useJsonBodies(app: NestExpressApplication): void {
  app.use(
    WEBHOOK_PATH,
    json({ limit: WEBHOOK_BODY_LIMIT_BYTES, verify: keepRawBody }),
    (request: Request, _response: Response, next: NextFunction) => {
      webhookBodies.add(request);
      next();
    },
  );
  app.use(json({ limit: BODY_LIMIT_BYTES }));
  app.use('/api', refuseOtherBodies);
  app.use(refuseDeepBodies);
  app.use(answerMiddlewareErrors(new Logger('JsonBodies')));
}
