import type { InboundItem } from './connector';

/** An inbound item as JSON, for a queue's job payload. */
export const itemToJson = (item: InboundItem): Record<string, unknown> => ({
  ...item,
  createdAt: item.createdAt.toISOString(),
});

export function itemFromJson(json: Record<string, unknown>): InboundItem {
  return { ...(json as unknown as InboundItem), createdAt: new Date(json.createdAt as string) };
}
