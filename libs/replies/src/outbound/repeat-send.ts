import type { ChannelCapabilities } from '@toonbank/channels';

/** How long before a channel forgets an idempotency key an attempt is no longer repeated. */
export const IDEMPOTENCY_MARGIN_MS = 5 * 60_000;

/**
 * May an attempt that began at `startedAt`, and may have arrived, be made again? Only on a
 * channel that de-duplicates, while it still remembers the key (with five minutes to spare).
 */
export function mayRepeatSend(
  capabilities: Pick<ChannelCapabilities, 'idempotentSend' | 'idempotencyWindowMs'>,
  startedAt: Date,
  now: Date,
): boolean {
  const { idempotentSend, idempotencyWindowMs } = capabilities;
  if (!idempotentSend) return false;
  if (idempotencyWindowMs === undefined) return true;
  return now.getTime() - startedAt.getTime() < idempotencyWindowMs - IDEMPOTENCY_MARGIN_MS;
}
