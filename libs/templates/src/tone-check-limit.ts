import { Injectable, Logger } from '@nestjs/common';
import { ApiError, TokenBuckets, type BucketLimit, type Principal } from '@toonbank/platform';

/**
 * Tone checks per user: 10 a second with a burst of 30, over every api process. The web
 * composer asks once the typing has paused for 300 ms (about 3 a second at most), so a
 * person typing never meets it; a script hammering the check does.
 */
export const TONE_CHECK_LIMIT: BucketLimit = { perSecond: 10, burst: 30 };

@Injectable()
export class ToneCheckLimit {
  private readonly logger = new Logger(ToneCheckLimit.name);

  constructor(private readonly buckets: TokenBuckets) {}

  /** 429 `rate_limited` (with Retry-After) when the user is over the limit. */
  async admit(principal: Principal): Promise<void> {
    const verdict = await this.buckets
      .take(['tone-check', principal.user.id], TONE_CHECK_LIMIT)
      .catch((error: unknown) => {
        // The limit guards the CPU against one user's flood; during a Redis outage the
        // composer keeps its tone check rather than losing it for everyone.
        this.logger.warn(
          `tone check limit unavailable: ${error instanceof Error ? error.message : String(error)}`,
        );
        return { allowed: true as const };
      });
    if (!verdict.allowed) {
      throw ApiError.rateLimited(
        'Too many tone checks. Try again in a moment.',
        Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
      );
    }
  }
}
