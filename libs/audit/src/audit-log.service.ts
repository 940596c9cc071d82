import { Injectable } from '@nestjs/common';
import { AuditLogEntity } from '@toonbank/database';
import { storableJson, storableText } from '@toonbank/platform';
import type { AuditAction, AuditSubjectType } from '@toonbank/shared';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

export interface AuditEntry {
  organisationId: string;
  /** Null for the system's own acts. */
  actorId: string | null;
  action: AuditAction;
  subjectType: AuditSubjectType;
  subjectId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

/**
 * Writes the append-only audit log. Always inside the transaction of the change it
 * records, so that a change and its audit entry land together or not at all.
 */
@Injectable()
export class AuditLogService {
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await this.recordMany(manager, [entry]);
  }

  /**
   * Several entries in one statement. Text PostgreSQL cannot store (a NUL, half a surrogate
   * pair, say in a name a channel sent) becomes U+FFFD: an entry must never fail the change
   * it records.
   */
  async recordMany(manager: EntityManager, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows: Omit<AuditLogEntity, 'id' | 'at'>[] = entries.map((entry) => ({
      organisationId: entry.organisationId,
      actorId: entry.actorId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      before: storableJson(entry.before ?? null),
      after: storableJson(entry.after ?? null),
      reason: entry.reason == null ? null : storableText(entry.reason),
    }));
    await manager.insert(AuditLogEntity, rows as QueryDeepPartialEntity<AuditLogEntity>[]);
  }
}

type Snapshot = Record<string, unknown>;
/** JSON with object keys sorted: jsonb hands objects back in its own key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** The fields that changed, as the before and after values of an audit entry. */
export function changedFields(
  before: Snapshot,
  after: Snapshot,
): { before: Snapshot; after: Snapshot } | null {
  const keys = Object.keys(after).filter((key) => !same(before[key], after[key]));
  if (keys.length === 0) return null;
  return {
    before: Object.fromEntries(keys.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(keys.map((key) => [key, after[key] ?? null])),
  };
}
