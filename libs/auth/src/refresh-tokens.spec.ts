import { createHash } from 'node:crypto';
import { hashRefreshToken, newRefreshToken, RefreshTokenSuccessors } from './refresh-tokens';

describe('refresh tokens', () => {
  it('are 256 random bits, base64url, never the same twice', () => {
    const tokens = Array.from({ length: 100 }, () => newRefreshToken());
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it.each([
    ['', '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU'],
    ['abc', 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0'],
    ['a-refresh-token', createHash('sha256').update('a-refresh-token').digest('base64url')],
  ])('are stored as their SHA-256, base64url (%j)', (token, expected) => {
    expect(hashRefreshToken(token)).toBe(expected);
  });

  it('hash to different values for different tokens, the same for the same token', () => {
    const token = newRefreshToken();
    expect(hashRefreshToken(token)).toBe(hashRefreshToken(token));
    expect(hashRefreshToken(token)).not.toBe(hashRefreshToken(newRefreshToken()));
    expect(hashRefreshToken(token)).not.toContain(token);
  });
});

describe('refresh token successors', () => {
  const successors = new RefreshTokenSuccessors('a-jwt-secret-of-at-least-32-characters!');

  it('are the same for the same token, 256 bits in base64url, and never the token itself', () => {
    const token = newRefreshToken();
    expect(successors.of(token)).toBe(successors.of(token));
    expect(successors.of(token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(successors.of(token)).not.toBe(token);
  });

  it('differ per token and per key', () => {
    const token = newRefreshToken();
    expect(successors.of(token)).not.toBe(successors.of(newRefreshToken()));
    const otherKey = new RefreshTokenSuccessors('another-jwt-secret-of-32-characters!!');
    expect(otherKey.of(token)).not.toBe(successors.of(token));
  });

  it('cannot be computed from the token alone (no plain hash of it)', () => {
    const token = newRefreshToken();
    expect(successors.of(token)).not.toBe(hashRefreshToken(token));
    expect(successors.of(token)).not.toBe(createHash('sha256').update(token).digest('base64url'));
  });
});
