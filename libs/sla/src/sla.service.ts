import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ConversationEvents,
  ConversationStatusWriter,
  ConversationsRepository,
  referenceOf,
} from '@toonbank/conversations';
import { ConversationEntity, OrganisationEntity, UserEntity } from '@toonbank/database';
import { EventPublisher, inTransaction } from '@toonbank/platform';
import { LEAD_ROLES } from '@toonbank/policy';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { addBusinessMinutes } from './business-time';

/** The timer's job id: one timer per conversation and due time, however often it is set. */
export const slaTimerJobId = (conversation: Pick<ConversationEntity, 'id' | 'slaDueAt'>): string =>
  `sla-${conversation.id}-${conversation.slaDueAt?.getTime() ?? 'none'}`;

/** Breaches flagged per sweep at most; the next sweep takes the rest. */
export const SLA_SWEEP_BATCH = 500;

/**
 * The first-response SLA (SPEC.md §4): a due time counted in business hours, a delayed job
 * at that time, a sweep that catches any timer Redis lost, and at the breach a flag on the
 * conversation, pushed live, escalated to the team leads and admins (and the assignee).
 */
@Injectable()
export class SlaService {
  private readonly logger = new Logger(SlaService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Sla) private readonly queue: Queue,
    private readonly conversations: ConversationsRepository,
    private readonly conversationEvents: ConversationEvents,
    private readonly conversationStatus: ConversationStatusWriter,
    private readonly events: EventPublisher,
  ) {}

  /** The due time of a conversation that starts now, by the organisation's settings. */
  dueAt(organisation: OrganisationEntity, start: Date): Date {
    return addBusinessMinutes(
      start,
      organisation.slaFirstResponseMinutes,
      organisation.businessHours,
      organisation.timeZone,
    );
  }

  /**
   * Sets the timer. The job id names the conversation and the due time, so that scheduling
   * twice (a retried ingest, a restart) keeps one timer; a delayed job survives a worker restart
   * in Redis, and the sweep covers Redis losing it.
   */
  async schedule(
    conversation: Pick<ConversationEntity, 'id' | 'organisationId' | 'slaDueAt'>,
  ): Promise<void> {
    if (!conversation.slaDueAt) return;
    const payload: JobPayloads[typeof JobName.SlaCheck] = {
      organisationId: conversation.organisationId,
      conversationId: conversation.id,
    };
    try {
      await this.queue.add(JobName.SlaCheck, payload, {
        jobId: slaTimerJobId(conversation),
        delay: Math.max(0, conversation.slaDueAt.getTime() - Date.now()),
      });
    } catch (error) {
      this.logger.warn(
        `SLA timer not set (the sweep will catch it): ${error instanceof Error ? error.message : error}`,
      );
    }
  }

  /** At the due time: flags the breach unless the first reply went out; safe to run twice. */
  async check(organisationId: string, conversationId: string, now = new Date()): Promise<boolean> {
    const breached = await inTransaction(this.db, async (manager) => {
      const conversation = await this.conversations.lock(manager, organisationId, conversationId);
      if (
        !conversation ||
        conversation.slaBreached ||
        conversation.firstResponseAt ||
        conversation.status === 'closed' ||
        !conversation.slaDueAt ||
        conversation.slaDueAt > now
      ) {
        return null;
      }
      await this.conversationStatus.flagSlaBreach(manager, conversation);
      return conversation;
    });
    if (!breached) return false;
    await this.conversationEvents.updated(organisationId, [conversationId]);
    await this.escalate(breached);
    return true;
  }

  /**
   * Flags every breach that is due and not flagged (a lost timer costs one sweep interval at
   * most), in every organisation or in one.
   */
  async sweep(now = new Date(), organisationId?: string): Promise<number> {
    const due = (await this.db.query(
      `SELECT id, organisation_id FROM conversations
        WHERE sla_breached = false AND first_response_at IS NULL
          AND status IN ('unassigned', 'assigned') AND sla_due_at <= $1
          AND ($3::uuid IS NULL OR organisation_id = $3)
        ORDER BY sla_due_at LIMIT $2`,
      [now, SLA_SWEEP_BATCH, organisationId ?? null],
    )) as { id: string; organisation_id: string }[];
    let flagged = 0;
    for (const row of due) if (await this.check(row.organisation_id, row.id, now)) flagged += 1;
    return flagged;
  }

  /** The team leads and admins, and the assignee: a `notification` each. */
  private async escalate(conversation: ConversationEntity): Promise<void> {
    const organisation = await this.db.manager.findOneByOrFail(OrganisationEntity, {
      id: conversation.organisationId,
    });
    const leads = await this.db.manager.findBy(UserEntity, {
      organisationId: conversation.organisationId,
      role: In([...LEAD_ROLES]),
      active: true,
    });
    const recipients = new Set([
      ...leads.map((u) => u.id),
      ...(conversation.assigneeId ? [conversation.assigneeId] : []),
    ]);
    const reference = referenceOf(organisation.slug, conversation.number);
    const text = `First-response time passed: ${reference} (${conversation.customerHandle})`;
    for (const userId of recipients) {
      this.events.toUser(userId, 'notification', {
        type: 'sla_breach',
        conversationId: conversation.id,
        text,
        reference,
      });
    }
  }
}
