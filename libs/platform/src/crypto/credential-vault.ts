import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';

const VERSION = 'v2';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The additional authenticated data that binds sealed credentials to their channel account. */
export const channelAccountAad = (channelAccountId: string): Buffer =>
  Buffer.from(`toonbank:channel-account:${channelAccountId}`, 'utf8');

/** Sealed credentials that cannot be opened: tampered, truncated, another account's, another key. */
export class UnreadableCredentialsError extends Error {
  constructor(reason: string) {
    super(`unreadable channel credentials (${reason})`);
  }
}

/**
 * Channel credentials at rest: AES-256-GCM with the deployment's CHANNEL_ENCRYPTION_KEY
 * (production refuses to start without one; elsewhere a key derived from JWT_SECRET).
 * Stored as `v2.<iv>.<tag>.<ciphertext>` (base64url), with a 16-byte tag and the channel
 * account's id as additional authenticated data: tampering fails the tag, and so does a sealed
 * value copied into another account's row. (`v1`, without the binding, is resealed by the
 * migration CredentialBinding1795880000000 and no longer read.)
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

  seal(secrets: Record<string, unknown>, channelAccountId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(channelAccountAad(channelAccountId));
    const ciphertext = Buffer.concat([
      cipher.update(JSON.stringify(secrets), 'utf8'),
      cipher.final(),
    ]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open<T = Record<string, unknown>>(sealed: string, channelAccountId: string): T {
    const parts = sealed.split('.');
    const [version, ivText, tagText, ciphertextText] = parts;
    if (parts.length !== 4 || version !== VERSION || !ivText || !tagText || !ciphertextText)
      throw new UnreadableCredentialsError(
        version === 'v1' ? 'sealed before the credential binding: run the migrations' : 'format',
      );
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    // GCM accepts shorter tags unless told otherwise: a cut tag is easier to forge.
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new UnreadableCredentialsError('iv or tag length');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(channelAccountAad(channelAccountId));
    decipher.setAuthTag(tag);
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(Buffer.from(ciphertextText, 'base64url')),
        decipher.final(),
      ]);
    } catch {
      throw new UnreadableCredentialsError('authentication failed');
    }
    return JSON.parse(plain.toString('utf8')) as T;
  }
}
