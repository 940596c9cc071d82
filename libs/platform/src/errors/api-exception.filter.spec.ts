import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  InternalServerErrorException,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnauthorizedException,
  type ArgumentsHost,
} from '@nestjs/common';
import { ErrorCode, type ApiErrorBody } from '@toonbank/shared';
import { ApiError } from './api-error';
import { ApiExceptionFilter } from './api-exception.filter';

/** Just enough of Express's response for the filter: status(), json() and setHeader(). */
class FakeResponse {
  statusCode: number | undefined;
  body: unknown;
  readonly headers: Record<string, string> = {};
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  json(body: unknown) {
    this.body = body;
    return this;
  }
  setHeader(name: string, value: string) {
    this.headers[name] = value;
    return this;
  }
}

function hostFor(response: FakeResponse, type = 'http'): ArgumentsHost {
  const http = { getResponse: () => response, getRequest: () => ({}), getNext: () => () => {} };
  return {
    getType: () => type,
    switchToHttp: () => http,
    getArgs: () => [{}, response],
    getArgByIndex: () => undefined,
    switchToRpc: () => {
      throw new Error('not rpc');
    },
    switchToWs: () => {
      throw new Error('not ws');
    },
  } as unknown as ArgumentsHost;
}

const filter = new ApiExceptionFilter();
let logged: jest.SpyInstance;
beforeEach(() => {
  // The filter logs unexpected errors; keep the test output quiet but see that it logs.
  logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
});
afterEach(() => logged.mockRestore());

function answer(exception: unknown): FakeResponse {
  const response = new FakeResponse();
  filter.catch(exception, hostFor(response));
  return response;
}

/** The body-parser errors Express raises before a handler runs (shape of the http-errors package). */
const bodyParserError = (status: number, type: string, message: string) =>
  Object.assign(new Error(message), { status, statusCode: status, type, expose: true });

describe('ApiExceptionFilter', () => {
  describe('ApiError is written as it is', () => {
    it.each<[string, ApiError]>([
      ['validation', ApiError.validation('Invalid request: name.', { name: ['name is empty'] })],
      ['unauthenticated', ApiError.unauthenticated()],
      ['forbidden', ApiError.forbidden()],
      ['not eligible', ApiError.notEligible()],
      ['not found', ApiError.notFound('The user')],
      ['conflict', ApiError.conflict('The e-mail address is taken.')],
      ['rate limited', ApiError.rateLimited('Slow down.', 30)],
      [
        'a custom code',
        new ApiError(422, ErrorCode.ToneViolations, 'Tone!', { violations: ['x'] }),
      ],
      ['payload too large', new ApiError(413, ErrorCode.PayloadTooLarge, 'Too big.')],
      ['unavailable', new ApiError(503, ErrorCode.Unavailable, 'Down.')],
    ])('%s', (_label, error) => {
      const response = answer(error);
      expect(response.statusCode).toBe(error.statusCode);
      expect(response.body).toEqual(error.toBody());
      expect(logged).not.toHaveBeenCalled();
    });

    it('keeps the message and details of an ApiError', () => {
      expect(answer(ApiError.notFound('The user')).body).toEqual({
        statusCode: 404,
        code: 'not_found',
        message: 'The user does not exist.',
      });
      expect(answer(ApiError.validation('Bad.', { a: ['x'] })).body).toEqual({
        statusCode: 400,
        code: 'validation.failed',
        message: 'Bad.',
        details: { fields: ['a'], errors: { a: ['x'] } },
      });
    });
  });

  describe("Nest's HttpExceptions get the contract's code", () => {
    it.each<[string, HttpException, ApiErrorBody]>([
      [
        'BadRequestException',
        new BadRequestException('Bad input.'),
        { statusCode: 400, code: 'validation.failed', message: 'Bad input.' },
      ],
      [
        'UnauthorizedException',
        new UnauthorizedException('Who are you?'),
        { statusCode: 401, code: 'auth.unauthenticated', message: 'Who are you?' },
      ],
      [
        'ForbiddenException',
        new ForbiddenException('No.'),
        { statusCode: 403, code: 'policy.forbidden', message: 'No.' },
      ],
      [
        'NotFoundException (its message is not passed on)',
        new NotFoundException('Cannot GET /api/secret-route'),
        { statusCode: 404, code: 'not_found', message: 'Not found.' },
      ],
      [
        'ConflictException',
        new ConflictException('Taken.'),
        { statusCode: 409, code: 'conflict', message: 'Taken.' },
      ],
      [
        'PayloadTooLargeException',
        new PayloadTooLargeException('Too big.'),
        { statusCode: 413, code: 'payload_too_large', message: 'Too big.' },
      ],
      [
        'HttpException 429',
        new HttpException('Too many requests.', HttpStatus.TOO_MANY_REQUESTS),
        { statusCode: 429, code: 'rate_limited', message: 'Too many requests.' },
      ],
      [
        'ServiceUnavailableException',
        new ServiceUnavailableException('Down for maintenance.'),
        { statusCode: 503, code: 'unavailable', message: 'Down for maintenance.' },
      ],
      [
        'an HttpException with an object response',
        new HttpException({ message: 'Object message.', extra: 'x' }, 403),
        { statusCode: 403, code: 'policy.forbidden', message: 'Object message.' },
      ],
    ])('%s', (_label, exception, expected) => {
      const response = answer(exception);
      expect(response.statusCode).toBe(expected.statusCode);
      expect(response.body).toEqual(expected);
      expect(response.headers).toEqual({});
    });

    it.each<[string, HttpException, number, ErrorCode]>([
      ['BadRequestException', new BadRequestException(), 400, ErrorCode.ValidationFailed],
      ['UnauthorizedException', new UnauthorizedException(), 401, ErrorCode.Unauthenticated],
      ['ForbiddenException', new ForbiddenException(), 403, ErrorCode.Forbidden],
      ['NotFoundException', new NotFoundException(), 404, ErrorCode.NotFound],
      ['ConflictException', new ConflictException(), 409, ErrorCode.Conflict],
      ['PayloadTooLargeException', new PayloadTooLargeException(), 413, ErrorCode.PayloadTooLarge],
      [
        'ServiceUnavailableException',
        new ServiceUnavailableException(),
        503,
        ErrorCode.Unavailable,
      ],
    ])(
      '%s without a message still answers in the contract shape',
      (_l, exception, status, code) => {
        const response = answer(exception);
        expect(response.statusCode).toBe(status);
        expect(response.body).toEqual({ statusCode: status, code, message: expect.any(String) });
        expect((response.body as ApiErrorBody).message).not.toBe('');
      },
    );
  });

  describe('errors of the HTTP stack (body-parser)', () => {
    it('a body that is not JSON → 400 validation.failed with empty details', () => {
      const error = bodyParserError(
        400,
        'entity.parse.failed',
        'Unexpected token } in JSON at position 7',
      );
      const response = answer(Object.assign(error, { body: '{"a": }' }));
      expect(response.statusCode).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        code: 'validation.failed',
        message: 'The request body is not valid JSON.',
        details: { fields: [], errors: {} },
      });
    });

    it('a bare { status: 400, type: "entity.parse.failed" } object is enough', () => {
      const response = answer({ status: 400, type: 'entity.parse.failed', message: 'x' });
      expect(response.statusCode).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'validation.failed' });
    });

    it.each<[string, object]>([
      ['an Error', bodyParserError(413, 'entity.too.large', 'request entity too large')],
      [
        'a bare object',
        { status: 413, type: 'entity.too.large', message: 'request entity too large' },
      ],
    ])('a body too large (%s) → 413 payload_too_large', (_label, error) => {
      const response = answer(error);
      expect(response.statusCode).toBe(413);
      expect(response.body).toEqual({
        statusCode: 413,
        code: 'payload_too_large',
        message: 'request entity too large',
      });
    });

    it.each<[number, string, string]>([
      [415, 'encoding.unsupported', 'request.refused'],
      [415, 'charset.unsupported', 'request.refused'],
      [400, 'request.aborted', 'validation.failed'],
    ])('another %i %s keeps its status → %s', (status, type, code) => {
      const response = answer(bodyParserError(status, type, 'unsupported'));
      expect(response.statusCode).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, code });
      expect(logged).not.toHaveBeenCalled();
    });
  });

  describe('anything else → 500 internal, without its internals', () => {
    const SECRET = 'password=hunter2 at postgres://admin@db';
    const withStack = new Error(SECRET);

    it.each<[string, unknown]>([
      ['an Error', withStack],
      ['a TypeError', new TypeError(`Cannot read properties of undefined (${SECRET})`)],
      ['an InternalServerErrorException', new InternalServerErrorException(SECRET)],
      ['a BadGatewayException', new BadGatewayException(SECRET)],
      ['an HttpException 500', new HttpException(SECRET, 500)],
      ['an error object with status 500', { status: 500, message: SECRET }],
      ['an error object with status 302', { status: 302, message: SECRET }],
      ['an error object with a status that is text', { status: '404', message: SECRET }],
      ['a thrown string', SECRET],
      ['a thrown number', 42],
      ['null', null],
      ['undefined', undefined],
      ['a plain object', { message: SECRET }],
    ])('%s', (_label, exception) => {
      const response = answer(exception);
      expect(response.statusCode).toBe(500);
      expect(response.body).toEqual({
        statusCode: 500,
        code: 'internal',
        message: 'Something went wrong on our side.',
      });
      expect(JSON.stringify(response.body)).not.toContain('hunter2');
      expect(response.headers).toEqual({});
      expect(logged).toHaveBeenCalledTimes(1);
    });

    it('logs the stack of an unexpected Error', () => {
      answer(withStack);
      expect(logged).toHaveBeenCalledWith(withStack.stack);
    });
  });

  describe('a transaction PostgreSQL aborted, still after its retries', () => {
    it.each([
      ['a deadlock (40P01)', '40P01'],
      ['a serialization failure (40001)', '40001'],
    ])('%s → 409 conflict, not 500', (_label, code) => {
      // The shape of TypeORM's QueryFailedError: the driver's error under driverError.
      const error = Object.assign(new Error('deadlock detected'), {
        driverError: { code },
        query: 'UPDATE users SET role = $1',
      });
      const response = answer(error);
      expect(response.statusCode).toBe(409);
      expect(response.body).toEqual({
        statusCode: 409,
        code: 'conflict',
        message: expect.stringContaining('changed'),
      });
      expect(JSON.stringify(response.body)).not.toContain('UPDATE');
      expect(logged).not.toHaveBeenCalled();
    });

    it('another database error is still 500', () => {
      const error = Object.assign(new Error('boom'), { driverError: { code: '23502' } });
      expect(answer(error).statusCode).toBe(500);
    });
  });

  describe('Retry-After', () => {
    it.each<[string, unknown, Record<string, string>]>([
      [
        'ApiError.rateLimited(…, 30)',
        ApiError.rateLimited('Slow down.', 30),
        { 'Retry-After': '30' },
      ],
      ['ApiError.rateLimited(…, 1)', ApiError.rateLimited('Slow down.', 1), { 'Retry-After': '1' }],
      ['ApiError.rateLimited(…, 0)', ApiError.rateLimited('Slow down.', 0), { 'Retry-After': '0' }],
      [
        'a 429 ApiError whose retryAfterSeconds is text',
        new ApiError(429, ErrorCode.RateLimited, 'Slow down.', { retryAfterSeconds: '30' }),
        {},
      ],
      [
        'a 429 ApiError without details',
        new ApiError(429, ErrorCode.RateLimited, 'Slow down.'),
        {},
      ],
      [
        'retryAfterSeconds on another status',
        new ApiError(503, ErrorCode.Unavailable, 'Down.', { retryAfterSeconds: 30 }),
        {},
      ],
      ['an HttpException 429', new HttpException('Too many requests.', 429), {}],
      ['a plain error', new Error('x'), {}],
    ])('%s → headers %j', (_label, exception, headers) => {
      expect(answer(exception).headers).toEqual(headers);
    });

    it('writes the 429 body with its retryAfterSeconds', () => {
      const response = answer(ApiError.rateLimited('Slow down.', 30));
      expect(response.statusCode).toBe(429);
      expect(response.body).toEqual({
        statusCode: 429,
        code: 'rate_limited',
        message: 'Slow down.',
        details: { retryAfterSeconds: 30 },
      });
    });
  });

  describe('outside HTTP', () => {
    it.each(['ws', 'rpc'])('rethrows the exception on a %s host and writes nothing', (type) => {
      const response = new FakeResponse();
      const error = ApiError.forbidden();
      expect(() => filter.catch(error, hostFor(response, type))).toThrow(error);
      expect(response.statusCode).toBeUndefined();
      expect(response.body).toBeUndefined();
    });
  });
});
