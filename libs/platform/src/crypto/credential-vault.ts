import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';

const VERSION = 'v1';

/**
 * Channel credentials at rest: AES-256-GCM with the deployment's CHANNEL_ENCRYPTION_KEY
 * (production refuses to start without one; elsewhere a key derived from JWT_SECRET).
 * Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url); tampering fails the authentication tag.
 */
@Injectable()
export class CredentialVault {
  private readonly key: Buffer;

  constructor(config: ConfigService<Environment, true>) {
    const configured = config.get('CHANNEL_ENCRYPTION_KEY', { infer: true });
    this.key = configured
      ? Buffer.from(configured, 'base64')
      : createHash('sha256')
          .update(`toonbank:channel-credentials:${config.get('JWT_SECRET', { infer: true })}`)
          .digest();
  }

  seal(secrets: Record<string, unknown>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([
      cipher.update(JSON.stringify(secrets), 'utf8'),
      cipher.final(),
    ]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open<T = Record<string, unknown>>(sealed: string): T {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || !ciphertext)
      throw new Error('unreadable channel credentials');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}
