import { createCipheriv, randomBytes } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { CredentialVault, UnreadableCredentialsError } from './credential-vault';

const KEY = randomBytes(32);
const vault = new CredentialVault({
  get: (name: keyof Environment) =>
    name === 'CHANNEL_ENCRYPTION_KEY' ? KEY.toString('base64') : undefined,
} as unknown as ConfigService<Environment, true>);

const ACCOUNT = '0b6e0f5c-3c1a-4f57-9d3a-2f0c8f1e7a11';
const OTHER = '6a1f2e3d-4c5b-4a69-8778-96a5b4c3d2e1';
const SECRETS = { accessToken: 'tok-123', nested: { refresh: 'r' } };

/** base64url parts of a sealed value, changed by `change`. */
const edited = (sealed: string, change: (parts: Buffer[]) => void) => {
  const [version, ...rest] = sealed.split('.');
  const parts = rest.map((p) => Buffer.from(p, 'base64url'));
  change(parts);
  return [version, ...parts.map((p) => p.toString('base64url'))].join('.');
};

describe('CredentialVault', () => {
  it('opens what it sealed for the same channel account, with a 12-byte iv and a 16-byte tag', () => {
    const sealed = vault.seal(SECRETS, ACCOUNT);
    expect(sealed).toMatch(/^v2\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const [, iv, tag] = sealed.split('.');
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(sealed).not.toContain('tok-123');
    expect(vault.open(sealed, ACCOUNT)).toEqual(SECRETS);
  });

  it.each([
    ['moved to another channel account’s row', (s: string) => [s, OTHER]],
    [
      'with its tag cut to 12 bytes',
      (s: string) => [edited(s, (p) => (p[1] = p[1]!.subarray(0, 12))), ACCOUNT],
    ],
    [
      'with its tag cut to 4 bytes',
      (s: string) => [edited(s, (p) => (p[1] = p[1]!.subarray(0, 4))), ACCOUNT],
    ],
    ['with a changed ciphertext', (s: string) => [edited(s, (p) => (p[2]![0] ^= 1)), ACCOUNT]],
    ['with a changed iv', (s: string) => [edited(s, (p) => (p[0]![0] ^= 1)), ACCOUNT]],
    ['without a part', (s: string) => [s.split('.').slice(0, 3).join('.'), ACCOUNT]],
    ['with an extra part', (s: string) => [`${s}.AAAA`, ACCOUNT]],
  ] as [string, (sealed: string) => [string, string]][])(
    'refuses a sealed value %s',
    (_name, attack) => {
      const [sealed, account] = attack(vault.seal(SECRETS, ACCOUNT));
      expect(() => vault.open(sealed, account)).toThrow(UnreadableCredentialsError);
    },
  );

  it('no longer reads the v1 form (no binding): the migration reseals it', () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', KEY, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(SECRETS)), cipher.final()]);
    const v1 = ['v1', iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
    expect(() => vault.open(v1, ACCOUNT)).toThrow(/run the migrations/);
  });
});
