import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import { ChannelAccountsRepository } from '@toonbank/channel-accounts';
import { itemFromJson, type InboundItem } from '@toonbank/channels';
import type { QuarantinedItemEntity } from '@toonbank/database';
import {
  ApiError,
  CursorCodec,
  DEFAULT_PAGE_SIZE,
  inTransaction,
  type Principal,
} from '@toonbank/platform';
import {
  AuditAction,
  ErrorCode,
  type Page,
  type QuarantinedItemDto,
  type QuarantineRetryDto,
} from '@toonbank/shared';
import { DataSource } from 'typeorm';
import { IngestWriter, UnstorableItem } from '../ingest-writer';
import { isItemFault, reasonOf } from './quarantine-entry';
import { QuarantineRepository } from './quarantine.repository';
import { presentQuarantinedItem, type QuarantinedItemSummary } from './quarantined-item.presenter';

const ITEM = 'The quarantined item';

/**
 * A channel's quarantine (issue 13) for its admins: the items that could not be stored, a retry
 * that stores one after all (the same writer as ingest: deduplicated, threaded, announced) and
 * a discard. Retry and discard are audited, in the transaction of their change.
 */
@Injectable()
export class QuarantineService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly items: QuarantineRepository,
    private readonly accounts: ChannelAccountsRepository,
    private readonly writer: IngestWriter,
    private readonly audit: AuditLogService,
    private readonly cursors: CursorCodec,
  ) {}

  async list(
    principal: Principal,
    channelId: string,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<Page<QuarantinedItemDto>> {
    const after = cursor
      ? this.cursors.decode<{ receivedAt: string; id: string }>(cursor, ['receivedAt', 'id'])
      : undefined;
    await this.channel(principal, channelId);
    const rows = await this.items.list(principal.organisation.id, channelId, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => presentQuarantinedItem(row.item)),
      nextCursor:
        rows.length > limit && last
          ? this.cursors.encode({ receivedAt: last.position, id: last.item.id })
          : null,
    };
  }

  /**
   * Stores the item as the connector read it, with its raw payload: 200 with the message (also
   * when it was stored meanwhile, `stored: false`), the item taken out. When it still cannot be
   * stored: 422 `quarantine.unstorable` with the reason, one attempt more, the item stays.
   */
  async retry(
    principal: Principal,
    channelId: string,
    itemId: string,
  ): Promise<QuarantineRetryDto> {
    const organisationId = principal.organisation.id;
    await this.channel(principal, channelId);
    const row = await this.items.find(organisationId, channelId, itemId);
    if (!row) throw ApiError.notFound(ITEM);
    try {
      const stored = await this.writer.storeQuarantined(
        organisationId,
        channelId,
        inboundItemOf(row),
        async (manager) => {
          if (!(await this.items.remove(manager, organisationId, channelId, itemId))) {
            throw ApiError.notFound(ITEM); // retried or discarded meanwhile
          }
          await this.audit.record(manager, {
            organisationId,
            actorId: principal.user.id,
            action: AuditAction.ChannelQuarantineRetried,
            subjectType: 'channel',
            subjectId: channelId,
            after: auditView(row),
          });
        },
      );
      if (!stored) throw ApiError.notFound('The channel');
      return stored;
    } catch (error) {
      if (!(error instanceof UnstorableItem) && !isItemFault(error)) throw error;
      const reason = reasonOf(error);
      const attempts = await this.items.recordFailedRetry(
        organisationId,
        channelId,
        itemId,
        reason,
      );
      throw new ApiError(
        422,
        ErrorCode.QuarantineUnstorable,
        `The item still cannot be stored: ${reason}`,
        { reason, attempts: attempts ?? row.attempts + 1 },
      );
    }
  }

  /** Throws the item away (its channel's post stays unread here): 200 with the item as it was. */
  async discard(
    principal: Principal,
    channelId: string,
    itemId: string,
  ): Promise<QuarantinedItemDto> {
    const organisationId = principal.organisation.id;
    await this.channel(principal, channelId);
    const row = await this.items.findSummary(organisationId, channelId, itemId);
    if (!row) throw ApiError.notFound(ITEM);
    await inTransaction(this.db, async (manager) => {
      if (!(await this.items.remove(manager, organisationId, channelId, itemId))) {
        throw ApiError.notFound(ITEM);
      }
      await this.audit.record(manager, {
        organisationId,
        actorId: principal.user.id,
        action: AuditAction.ChannelQuarantineDiscarded,
        subjectType: 'channel',
        subjectId: channelId,
        before: auditView(row),
      });
    });
    return presentQuarantinedItem(row);
  }

  private async channel(principal: Principal, channelId: string): Promise<void> {
    if (!(await this.accounts.find(principal.organisation.id, channelId))) {
      throw ApiError.notFound('The channel');
    }
  }
}

/** What the audit log keeps of an item: ids and counts, never the customer's payload. */
const auditView = (
  row: Pick<QuarantinedItemSummary, 'id' | 'source' | 'externalId' | 'attempts'>,
) => ({
  itemId: row.id,
  source: row.source,
  externalId: row.externalId,
  attempts: row.attempts,
});

/** The item as the connector read it, with its raw payload back; UnstorableItem when there is none to store. */
function inboundItemOf(row: QuarantinedItemEntity): InboundItem {
  if (!row.item) throw new UnstorableItem('the channel’s payload could not be read into a message');
  if (row.rawTruncated) {
    throw new UnstorableItem(
      'its raw payload was longer than 1 MiB and was cut off when it was kept',
    );
  }
  const raw: unknown = JSON.parse(row.raw);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UnstorableItem('its raw payload is not a JSON object');
  }
  return itemFromJson({ ...row.item, raw });
}
