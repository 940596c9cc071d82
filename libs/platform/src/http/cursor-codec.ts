import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors/api-error';

/**
 * Opaque keyset cursors: the position (JSON) plus an HMAC, so that only cursors issued by
 * the API are accepted (a forged or damaged one is 400).
 */
export class CursorCodec {
  constructor(private readonly key: string) {}

  encode(position: Record<string, string | number | null>): string {
    const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  decode<T extends Record<string, string | number | null>>(cursor: string, keys: (keyof T)[]): T {
    const [payload, signature, extra] = cursor.split('.');
    if (!payload || !signature || extra !== undefined || !this.verify(payload, signature)) {
      throw this.invalid();
    }
    let position: unknown;
    try {
      position = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw this.invalid();
    }
    if (typeof position !== 'object' || position === null || keys.some((k) => !(k in position))) {
      throw this.invalid();
    }
    return position as T;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  private verify(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private invalid(): ApiError {
    return ApiError.validation('The cursor was not issued by this API.', {
      cursor: ['cursor is not valid'],
    });
  }
}
