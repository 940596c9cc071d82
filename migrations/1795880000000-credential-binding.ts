import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const TAG_BYTES = 16;
type Row = { id: string; credentials_encrypted: string };

/**
 * The key the app seals channel credentials with, read as the app reads it (CHANNEL_ENCRYPTION_KEY,
 * else derived from JWT_SECRET), or null when neither is set.
 */
function configuredKey(env: NodeJS.ProcessEnv): Buffer | null {
  const key = env.CHANNEL_ENCRYPTION_KEY;
  if (key) {
    const bytes = Buffer.from(key, 'base64');
    if (bytes.length !== 32) throw new Error('CHANNEL_ENCRYPTION_KEY must be 32 bytes in base64');
    return bytes;
  }
  const jwtSecret = env.JWT_SECRET;
  return jwtSecret
    ? createHash('sha256').update(`toonbank:channel-credentials:${jwtSecret}`).digest()
    : null;
}

const aad = (id: string) => Buffer.from(`toonbank:channel-account:${id}`, 'utf8');
const join = (version: string, parts: Buffer[]) =>
  [version, ...parts.map((part) => part.toString('base64url'))].join('.');

function open(key: Buffer, sealed: string, version: 'v1' | 'v2', id: string): Buffer {
  const [found, iv, tag, ciphertext] = sealed.split('.');
  if (found !== version || !iv || !tag || !ciphertext) throw new Error('not sealed as ' + version);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
    authTagLength: TAG_BYTES,
  });
  if (version === 'v2') decipher.setAAD(aad(id));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
}

function seal(key: Buffer, plain: Buffer, version: 'v1' | 'v2', id: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  if (version === 'v2') cipher.setAAD(aad(id));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return join(version, [iv, cipher.getAuthTag(), ciphertext]);
}

/** Reseals every row sealed as `from` into `to`; refuses to guess when the key is missing or wrong. */
async function reseal(db: QueryRunner, from: 'v1' | 'v2', to: 'v1' | 'v2'): Promise<void> {
  const rows = (await db.query(
    `SELECT id, credentials_encrypted FROM channel_accounts WHERE credentials_encrypted LIKE $1 ORDER BY id`,
    [`${from}.%`],
  )) as Row[];
  if (rows.length === 0) return;
  const key = configuredKey(process.env);
  if (!key) {
    throw new Error(
      `${rows.length} channel accounts hold sealed credentials, but neither CHANNEL_ENCRYPTION_KEY nor JWT_SECRET is set: migrate with the key the app uses`,
    );
  }
  for (const row of rows) {
    let plain: Buffer;
    try {
      plain = open(key, row.credentials_encrypted, from, row.id);
    } catch {
      throw new Error(
        `the credentials of channel account ${row.id} do not open with the configured key: migrate with the key the app uses`,
      );
    }
    await db.query(
      `UPDATE channel_accounts SET credentials_encrypted = $1 WHERE id = $2 AND credentials_encrypted = $3`,
      [seal(key, plain, to, row.id), row.id, row.credentials_encrypted],
    );
  }
}

/**
 * Binds sealed channel credentials to their channel account (issue 11): `v1.<iv>.<tag>.<data>`
 * (AES-256-GCM, no additional data) becomes `v2.…` with `toonbank:channel-account:<id>` as
 * additional authenticated data, so that a sealed value copied into another row no longer opens.
 * Values in no known form are left alone (the app cannot read them either). down() strips the
 * binding again.
 */
export class CredentialBinding1795880000000 implements MigrationInterface {
  name = 'CredentialBinding1795880000000';

  public async up(db: QueryRunner): Promise<void> {
    await reseal(db, 'v1', 'v2');
  }

  public async down(db: QueryRunner): Promise<void> {
    await reseal(db, 'v2', 'v1');
  }
}
