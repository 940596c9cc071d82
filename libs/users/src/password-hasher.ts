import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** argon2id password hashes. */
@Injectable()
export class PasswordHasher {
  /** Verified against when the e-mail is unknown, so that both failures take as long. */
  private readonly decoy = argon2.hash('toonbank-decoy-password');

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      const ok = await argon2.verify(hash ?? (await this.decoy), password);
      return hash !== null && ok;
    } catch {
      return false;
    }
  }
}
