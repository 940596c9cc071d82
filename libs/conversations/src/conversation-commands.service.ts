import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import { ConversationEntity, UserEntity, type OrganisationEntity } from '@toonbank/database';
import {
  ApiError,
  inTransaction,
  retryableTransactionError,
  type Principal,
} from '@toonbank/platform';
import { isEligible, mayActOn } from '@toonbank/policy';
import { AuditAction, ErrorCode, type BulkResultDto, type ConversationDto } from '@toonbank/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { AssignmentWriter } from './assignment-writer';
import { ConversationEvents } from './conversation-events';
import { presentConversation } from './conversation.presenter';
import { ConversationsRepository } from './conversations.repository';
import type { BulkConversationsDto } from './dto/conversation.dto';
import { RoutingTrigger } from './routing-trigger';
import { ConversationStatusWriter } from './status-writer';

const notEligibleTarget = () =>
  new ApiError(
    422,
    ErrorCode.AssignmentNotEligible,
    'This user may not be assigned a conversation right now.',
  );

/** What a command did, for the events and triggers that follow its commit. */
interface Outcome {
  changed: boolean;
  /** The queue has a conversation that routing should look at. */
  route?: string;
}

/**
 * Who holds a conversation and in what state (API.md §Conversations, SPEC.md §4). Each
 * command locks the conversation, judges in the contract's order (404, 403 on the record,
 * 409 for the state, 422 for the content), writes with its audit entry, and only after the
 * commit pushes the change live and triggers routing.
 */
@Injectable()
export class ConversationCommands {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ConversationsRepository,
    private readonly writer: AssignmentWriter,
    private readonly status: ConversationStatusWriter,
    private readonly audit: AuditLogService,
    private readonly events: ConversationEvents,
    private readonly routing: RoutingTrigger,
  ) {}

  /** Team lead or admin: to an eligible user only (available or not: a deliberate choice). */
  assign(principal: Principal, id: string, userId: string): Promise<ConversationDto> {
    return this.run(principal, id, async (manager, conversation, organisation) => {
      this.refuseClosed(conversation, 'A closed conversation cannot be assigned; reopen it first.');
      await this.eligibleTarget(manager, organisation, userId, notEligibleTarget);
      if (conversation.assigneeId === userId) return { changed: false };
      await this.writer.assign(
        manager,
        conversation,
        userId,
        principal.user.id,
        'assigned by a team lead',
      );
      return { changed: true };
    });
  }

  /** An eligible user takes an unassigned conversation (capacity is not checked: a deliberate choice). */
  claim(principal: Principal, id: string): Promise<ConversationDto> {
    return this.run(principal, id, async (manager, conversation, organisation) => {
      // The guard judged the caller before this transaction: judge again on the locked rows.
      await this.eligibleTarget(manager, organisation, principal.user.id, () =>
        ApiError.notEligible(),
      );
      if (conversation.status !== 'unassigned') {
        throw ApiError.conflict(
          'Only an unassigned conversation can be claimed; someone else has it.',
        );
      }
      await this.writer.assign(
        manager,
        conversation,
        principal.user.id,
        principal.user.id,
        'claimed',
      );
      return { changed: true };
    });
  }

  /** The assignee, a team lead or an admin: back to the queue. */
  unassign(principal: Principal, id: string): Promise<ConversationDto> {
    return this.run(principal, id, async (manager, conversation) => {
      this.mustHoldOrLead(principal, conversation);
      this.refuseClosed(conversation, 'A closed conversation keeps its assignee; reopen it first.');
      if (conversation.status === 'unassigned')
        throw ApiError.conflict('The conversation is not assigned.');
      await this.writer.unassign(manager, conversation, principal.user.id, 'unassigned');
      return { changed: true, route: 'conversation unassigned' };
    });
  }

  /** The assignee, a team lead or an admin. Closing keeps the assignee. */
  close(principal: Principal, id: string): Promise<ConversationDto> {
    return this.run(principal, id, async (manager, conversation) => {
      this.mustHoldOrLead(principal, conversation);
      this.refuseClosed(conversation, 'The conversation is already closed.');
      await this.status.close(manager, conversation, principal.user.id, 'closed');
      return { changed: true, ...this.freedCapacity(conversation) };
    });
  }

  /** Back to the previous assignee when they are still eligible and available, else to routing. */
  reopen(principal: Principal, id: string): Promise<ConversationDto> {
    return this.run(principal, id, async (manager, conversation) => {
      this.mustHoldOrLead(principal, conversation);
      if (conversation.status !== 'closed')
        throw ApiError.conflict('Only a closed conversation can be reopened.');
      const reopened = await this.status.reopen(
        manager,
        principal.organisation,
        conversation,
        principal.user.id,
      );
      return {
        changed: true,
        ...(reopened === 'routing' ? { route: 'conversation reopened' } : {}),
      };
    });
  }

  /**
   * The whole set of labels. Labelling is acting on a conversation (API.md: "only the
   * assignee, and team leads and admins, act on a conversation"), so it follows close and
   * unassign rather than reading; a closed conversation may still be labelled, as in bulk.
   */
  setLabels(principal: Principal, id: string, labels: string[]): Promise<ConversationDto> {
    return this.run(principal, id, async (manager, conversation) => {
      this.mustHoldOrLead(principal, conversation);
      return { changed: await this.writeLabels(manager, conversation, labels, principal.user.id) };
    });
  }

  /** Team lead or admin, for storms: each conversation on its own, failures reported per id. */
  async bulk(principal: Principal, dto: BulkConversationsDto): Promise<BulkResultDto> {
    const result: BulkResultDto = { done: 0, failed: [] };
    let route: string | undefined;
    const changed: string[] = [];
    try {
      for (const id of dto.ids) {
        try {
          const outcome = await inTransaction(this.db, async (manager) => {
            const organisation = await this.conversations.lockOrganisation(
              manager,
              principal.organisation.id,
            );
            const conversation = await this.conversations.lock(
              manager,
              principal.organisation.id,
              id,
            );
            if (!conversation) throw ApiError.notFound('The conversation');
            return this.bulkOne(manager, principal, organisation, conversation, dto);
          });
          result.done += 1;
          if (outcome.changed) changed.push(id);
          route ??= outcome.route;
        } catch (error) {
          // Still a deadlock or serialization failure after the retries: this id only.
          if (retryableTransactionError(error)) {
            result.failed.push({ id, code: ErrorCode.Conflict });
            continue;
          }
          if (!(error instanceof ApiError)) throw error;
          result.failed.push({ id, code: error.code });
        }
      }
    } finally {
      // What committed is told and routed, whatever happened to the ids after it.
      await this.events.updated(principal.organisation.id, changed);
      if (route) await this.routing.routeQueue(principal.organisation.id, route);
    }
    return result;
  }

  private async bulkOne(
    manager: EntityManager,
    principal: Principal,
    organisation: OrganisationEntity,
    conversation: ConversationEntity,
    dto: BulkConversationsDto,
  ): Promise<Outcome> {
    const actor = principal.user.id;
    switch (dto.action) {
      case 'assign':
        this.refuseClosed(conversation, 'A closed conversation cannot be assigned.');
        await this.eligibleTarget(manager, organisation, dto.userId as string, notEligibleTarget);
        if (conversation.assigneeId === dto.userId) return { changed: false };
        await this.writer.assign(
          manager,
          conversation,
          dto.userId as string,
          actor,
          'assigned in bulk',
        );
        return { changed: true };
      case 'close':
        this.refuseClosed(conversation, 'The conversation is already closed.');
        await this.status.close(manager, conversation, actor, 'closed in bulk');
        return { changed: true, ...this.freedCapacity(conversation) };
      case 'label':
        return { changed: await this.addLabel(manager, conversation, dto.label as string, actor) };
      case 'spam': {
        const labelled = await this.addLabel(manager, conversation, 'spam', actor);
        if (conversation.status === 'closed') return { changed: labelled };
        await this.status.close(manager, conversation, actor, 'marked as spam');
        return { changed: true, ...this.freedCapacity(conversation) };
      }
    }
  }

  private async run(
    principal: Principal,
    id: string,
    command: (
      manager: EntityManager,
      conversation: ConversationEntity,
      organisation: OrganisationEntity,
    ) => Promise<Outcome>,
  ): Promise<ConversationDto> {
    const organisationId = principal.organisation.id;
    const outcome = await inTransaction(this.db, async (manager) => {
      const organisation = await this.conversations.lockOrganisation(manager, organisationId);
      const conversation = await this.conversations.lock(manager, organisationId, id);
      if (!conversation) throw ApiError.notFound('The conversation');
      return command(manager, conversation, organisation);
    });
    if (outcome.changed) await this.events.updated(organisationId, [id]);
    if (outcome.route) await this.routing.routeQueue(organisationId, outcome.route);
    const view = await this.conversations.findView(organisationId, id);
    return presentConversation(view!);
  }

  /** Closing a held conversation frees a place in its assignee's capacity: the queue may move. */
  private freedCapacity(conversation: ConversationEntity): Pick<Outcome, 'route'> {
    return conversation.assigneeId ? { route: 'capacity freed' } : {};
  }

  private mustHoldOrLead(principal: Principal, conversation: ConversationEntity): void {
    if (!mayActOn(principal.user, conversation)) {
      throw ApiError.forbidden(
        'Only the assignee, a team lead or an admin may act on this conversation.',
      );
    }
  }

  private refuseClosed(conversation: ConversationEntity, message: string): void {
    if (conversation.status === 'closed') throw ApiError.conflict(message);
  }

  /**
   * Someone who is to hold a conversation (the target of an assignment, or a claimer): of
   * this organisation, active and eligible, judged on their locked row and the organisation
   * as locked for this transaction, so that a concurrent deactivation, role or maturity
   * change is either waited for or waits.
   */
  private async eligibleTarget(
    manager: EntityManager,
    organisation: OrganisationEntity,
    userId: string,
    refusal: () => ApiError,
  ): Promise<UserEntity> {
    const user = await this.conversations.lockUser(manager, organisation.id, userId);
    if (!user || !isEligible(user, organisation)) throw refusal();
    return user;
  }

  private addLabel(
    manager: EntityManager,
    conversation: ConversationEntity,
    label: string,
    actorId: string,
  ): Promise<boolean> {
    const { labels } = conversation;
    const added = labels.includes(label) ? labels : [...labels, label];
    return this.writeLabels(manager, conversation, added, actorId);
  }

  /** Stores the labels with their audit entry; false when they are already exactly these. */
  private async writeLabels(
    manager: EntityManager,
    conversation: ConversationEntity,
    labels: string[],
    actorId: string,
  ): Promise<boolean> {
    const current = conversation.labels;
    if (labels.length === current.length && labels.every((label, i) => label === current[i])) {
      return false;
    }
    const before = { labels: current };
    conversation.labels = labels;
    await manager.save(conversation);
    await this.audit.record(manager, {
      organisationId: conversation.organisationId,
      actorId,
      action: AuditAction.ConversationLabelled,
      subjectType: 'conversation',
      subjectId: conversation.id,
      before,
      after: { labels: conversation.labels },
    });
    return true;
  }
}
