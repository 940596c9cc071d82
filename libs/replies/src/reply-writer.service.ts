import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import type { ConnectorRegistry } from '@toonbank/channels';
import {
  AssignmentWriter,
  ConversationsRepository,
  presentConversation,
  presentReply,
  ReplyEvents,
  type ConversationView,
} from '@toonbank/conversations';
import {
  ReplyEntity,
  type ConversationEntity,
  type MessageEntity,
  type OrganisationEntity,
  type TemplateEntity,
  type UserEntity,
} from '@toonbank/database';
import { CONNECTOR_REGISTRY } from '@toonbank/channel-accounts';
import { ApiError, inTransaction, type Principal } from '@toonbank/platform';
import { mayOverrideTone } from '@toonbank/policy';
import {
  AuditAction,
  ErrorCode,
  parsePlaceholders,
  PIONEER_INPUT_MAX_LENGTH,
  placeholderValues,
  renderTemplate,
  type ReplyDto,
  type ToneFindingDto,
} from '@toonbank/shared';
import {
  hasToneErrors,
  TemplatesRepository,
  ToneJudge,
  ToneProfilesRepository,
  toneViolations,
} from '@toonbank/templates';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { CreateReplyDto } from './dto/reply.dto';
import { OutboundQueue } from './outbound-queue';
import { RepliesRepository } from './replies.repository';
import { ReplyNotifications } from './reply-notifications';
import { judgeAuthor, judgeTone } from './reply-judgement';
import { isFromCustomer } from './reply-target';

/**
 * Writes a reply, judged in the order of API.md §Replies: the request's shape (400), the
 * conversation and template (404), role and assignment (403 `policy.forbidden`), eligibility
 * (403 `policy.not_eligible`), the template policy (403 `policy.template_required`), the
 * conversation's state (409), the tone (422), then approval. Everything is judged on the rows
 * locked for the transaction, so a concurrent maturity or role change is waited for.
 */
@Injectable()
export class ReplyWriter {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ConversationsRepository,
    private readonly assignments: AssignmentWriter,
    private readonly replies: RepliesRepository,
    private readonly templates: TemplatesRepository,
    private readonly profiles: ToneProfilesRepository,
    private readonly judge: ToneJudge,
    private readonly audit: AuditLogService,
    private readonly outbound: OutboundQueue,
    private readonly replyEvents: ReplyEvents,
    private readonly notifications: ReplyNotifications,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
  ) {}

  async create(
    principal: Principal,
    conversationId: string,
    dto: CreateReplyDto,
  ): Promise<ReplyDto> {
    if ((dto.text === undefined) === (dto.templateId === undefined)) {
      throw ApiError.validation('Send either text or templateId, not both and not neither.', {
        text: ['text or templateId'],
        templateId: ['text or templateId'],
      });
    }
    if (dto.variables !== undefined && dto.templateId === undefined) {
      throw ApiError.validation('Variables fill the slots of a template: send a templateId.', {
        variables: ['only with templateId'],
      });
    }
    if (dto.overrideReason !== undefined && !mayOverrideTone(principal.user)) {
      throw ApiError.forbidden('Only a team lead or an admin may override the tone check.');
    }
    const organisationId = principal.organisation.id;
    const reply = await inTransaction(this.db, async (manager) => {
      const organisation = await this.conversations.lockOrganisation(manager, organisationId);
      const conversation = await this.conversations.lock(manager, organisationId, conversationId);
      if (!conversation) throw ApiError.notFound('The conversation');
      const view = await this.conversations.findView(organisationId, conversationId, manager);
      const template = dto.templateId
        ? await this.templateFor(manager, organisationId, dto.templateId, view!)
        : null;
      const isPrivate = dto.private ?? false;
      if (isPrivate && !this.connectors.get(view!.provider).capabilities.directMessages) {
        throw ApiError.validation(`A ${view!.provider} reply cannot be sent as a direct message.`, {
          private: [`${view!.provider} has no direct messages`],
        });
      }
      const author = await this.conversations.lockUser(manager, organisationId, principal.user.id);
      if (!author) throw ApiError.unauthenticated();
      return this.judgeAndWrite(manager, {
        organisation,
        conversation,
        view: view!,
        template,
        author,
        dto,
        isPrivate,
      });
    });
    await this.afterCommit(reply, principal.user);
    return presentReply(reply);
  }

  private async judgeAndWrite(
    manager: EntityManager,
    input: {
      organisation: OrganisationEntity;
      conversation: ConversationEntity;
      view: ConversationView;
      template: TemplateEntity | null;
      author: UserEntity;
      dto: CreateReplyDto;
      isPrivate: boolean;
    },
  ): Promise<ReplyEntity> {
    const { organisation, conversation, view, template, author, dto, isPrivate } = input;
    if (template) checkVariables(template, dto.variables ?? {}, organisation.maturityLevel === 1);

    const now = new Date();
    const can = judgeAuthor(organisation, conversation, author, template !== null, now);
    const inReplyTo = await this.answered(manager, conversation, dto, isPrivate);

    const conversationDto = presentConversation(view);
    const text = template
      ? renderTemplate(
          template.body,
          placeholderValues(conversationDto, author),
          dto.variables ?? {},
        )
      : (dto.text as string);
    const findings = await this.toneOf(manager, text, view, author, isPrivate, template);
    const overridden = hasToneErrors(findings);
    if (overridden && !dto.overrideReason) throw toneViolations(findings, 'The reply');

    const id = randomUUID();
    const reply = manager.create(ReplyEntity, {
      id,
      organisationId: organisation.id,
      conversationId: conversation.id,
      authorId: author.id,
      text,
      templateId: template?.id ?? null,
      variables: template ? (dto.variables ?? {}) : null,
      private: isPrivate,
      status: can.approval ? 'pending_approval' : 'queued',
      toneFindings: findings,
      overrideReason: overridden ? (dto.overrideReason as string) : null,
      channelIdempotencyKey: this.connectors.get(view.provider).newIdempotencyKey(id, now),
      inReplyToMessageId: inReplyTo.id,
      sendStartedAt: null,
      attempts: 0,
      externalId: null,
      error: null,
      approvedBy: null,
      approvedAt: null,
      rejectedBy: null,
      rejectionComment: null,
      sentAt: null,
    });
    const saved = await manager.save(reply);
    if (conversation.assigneeId === author.id) {
      // The assignee is at work on it: not handed back for inactivity while it waits.
      await this.assignments.markActive(manager, conversation, now);
    }
    const subject = {
      organisationId: organisation.id,
      actorId: author.id,
      subjectType: 'reply' as const,
      subjectId: id,
    };
    await this.audit.recordMany(manager, [
      {
        ...subject,
        action: AuditAction.ReplyCreated,
        after: {
          status: saved.status,
          conversationId: conversation.id,
          templateId: saved.templateId,
          private: isPrivate,
        },
      },
      ...(overridden
        ? [
            {
              ...subject,
              action: AuditAction.ReplyToneOverridden,
              after: {
                findings: findings.filter((f) => f.severity === 'error').map((f) => f.ruleId),
              },
              reason: dto.overrideReason as string,
            },
          ]
        : []),
    ]);
    return saved;
  }

  /**
   * The message a reply answers: the one it names (any inbound message of this conversation for
   * a public reply, one of the customer's own for a private one), else the customer's latest.
   * Another participant of the thread is answered only when named, and never privately.
   */
  private async answered(
    manager: EntityManager,
    conversation: ConversationEntity,
    dto: CreateReplyDto,
    isPrivate: boolean,
  ): Promise<MessageEntity> {
    if (dto.inReplyToMessageId !== undefined) {
      const named = await this.replies.inboundOf(
        manager,
        conversation.organisationId,
        conversation.id,
        dto.inReplyToMessageId,
      );
      if (!named) {
        throw inReplyToInvalid(
          'inReplyToMessageId is not a customer message of this conversation.',
        );
      }
      if (isPrivate && !isFromCustomer(named, conversation)) {
        throw inReplyToInvalid(
          "A private reply goes to the conversation's customer: name one of their messages, or none.",
        );
      }
      return named;
    }
    const latest = await this.replies.latestFromCustomer(manager, conversation);
    if (!latest) throw ApiError.conflict('The conversation has no customer message to answer.');
    return latest;
  }

  private toneOf(
    manager: EntityManager,
    text: string,
    view: ConversationView,
    author: UserEntity,
    isPrivate: boolean,
    template: TemplateEntity | null,
  ): Promise<ToneFindingDto[]> {
    return judgeTone({ profiles: this.profiles, judge: this.judge }, manager, {
      text,
      view,
      author,
      isPrivate,
      template,
    });
  }

  private async templateFor(
    manager: EntityManager,
    organisationId: string,
    templateId: string,
    view: ConversationView,
  ): Promise<TemplateEntity> {
    const template = await this.templates.find(organisationId, templateId, manager);
    if (!template) throw ApiError.notFound('The template');
    if (template.providers.length > 0 && !template.providers.includes(view.provider)) {
      throw ApiError.validation(`This template is not meant for ${view.provider}.`, {
        templateId: [`not a template for ${view.provider}`],
      });
    }
    return template;
  }

  private async afterCommit(reply: ReplyEntity, author: UserEntity): Promise<void> {
    this.replyEvents.emit(reply);
    if (reply.status === 'queued') await this.outbound.send(reply.organisationId, reply.id);
    else await this.notifications.approvalNeeded(reply, author.name);
  }
}

function inReplyToInvalid(message: string): ApiError {
  return new ApiError(422, ErrorCode.ReplyInReplyToInvalid, message, {
    fields: ['inReplyToMessageId'],
  });
}

/** Variables fill only the template's `input.<name>` slots, every one; at the pioneer level briefly. */
function checkVariables(
  template: TemplateEntity,
  variables: Record<string, unknown>,
  pioneer: boolean,
) {
  const slots = parsePlaceholders(template.body).inputs;
  const problems: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(variables)) {
    const field = `variables.${name}`;
    if (!slots.includes(name)) problems[field] = [`the template has no slot {{input.${name}}}`];
    else if (typeof value !== 'string') problems[field] = ['must be a string'];
    else if (value.trim() === '') problems[field] = ['must not be blank'];
    else if (value.length > 500) problems[field] = ['at most 500 characters'];
    else if (
      pioneer &&
      (value.length > PIONEER_INPUT_MAX_LENGTH || /[\r\n\u2028\u2029]/.test(value))
    ) {
      problems[field] = [
        `at the pioneer level at most ${PIONEER_INPUT_MAX_LENGTH} characters on one line`,
      ];
    }
  }
  for (const slot of slots) {
    if (!Object.hasOwn(variables, slot))
      problems[`variables.${slot}`] = ['missing: the template needs it'];
  }
  if (Object.keys(problems).length > 0) {
    throw ApiError.validation("The variables do not fit the template's slots.", problems);
  }
}
