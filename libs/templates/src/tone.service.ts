import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService, changedFields } from '@toonbank/audit';
import { ConversationsRepository } from '@toonbank/conversations';
import { ApiError, inTransaction, type Principal } from '@toonbank/platform';
import {
  AuditAction,
  channelLengthRule,
  type ToneCheckResultDto,
  type ToneProfileDto,
} from '@toonbank/shared';
import { compileSignoffPattern } from '@toonbank/tone';
import { DataSource } from 'typeorm';
import type { ToneCheckDto, UpdateToneProfileDto } from './dto/tone.dto';
import { hasToneErrors, ToneJudge } from './tone-judge';
import { ToneProfilesRepository } from './tone-profiles.repository';

/** The organisation's tone profile and the check against it (API.md §Tone and templates). */
@Injectable()
export class ToneService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly profiles: ToneProfilesRepository,
    private readonly conversations: ConversationsRepository,
    private readonly judge: ToneJudge,
    private readonly audit: AuditLogService,
  ) {}

  profile(principal: Principal): Promise<ToneProfileDto> {
    return this.profiles.find(principal.organisation.id);
  }

  async updateProfile(principal: Principal, dto: UpdateToneProfileDto): Promise<ToneProfileDto> {
    const profile = normaliseProfile(dto);
    const organisationId = principal.organisation.id;
    await inTransaction(this.db, async (manager) => {
      // One admin's change at a time, so that the audit entry's "before" is the truth.
      await manager.query('SELECT id FROM organisations WHERE id = $1 FOR NO KEY UPDATE', [
        organisationId,
      ]);
      const before = await this.profiles.find(organisationId, manager);
      const change = changedFields({ ...before }, { ...profile });
      if (!change) return;
      await this.profiles.save(manager, organisationId, profile);
      await this.audit.record(manager, {
        organisationId,
        actorId: principal.user.id,
        action: AuditAction.ToneProfileChanged,
        subjectType: 'tone_profile',
        subjectId: organisationId,
        ...change,
      });
    });
    return this.profiles.find(organisationId);
  }

  /** Without a conversation, a text is judged as a public reply on `provider` (or no channel). */
  async check(principal: Principal, dto: ToneCheckDto): Promise<ToneCheckResultDto> {
    const organisationId = principal.organisation.id;
    const profile = await this.profiles.find(organisationId);
    let provider = dto.provider ?? null;
    let customerText: string | null = null;
    if (dto.conversationId) {
      const view = await this.conversations.findView(organisationId, dto.conversationId);
      if (!view) throw ApiError.notFound('The conversation');
      provider = view.provider;
      customerText = await this.judge.customerText(organisationId, dto.conversationId);
    }
    const isPrivate = dto.private ?? false;
    if (isPrivate && provider && !channelLengthRule(provider, true)) {
      throw ApiError.validation(`A ${provider} reply cannot be sent as a direct message.`, {
        private: [`${provider} has no direct messages`],
      });
    }
    const findings = this.judge.judge(dto.text, profile, {
      provider,
      private: isPrivate,
      customerText,
      reader: principal.user,
    });
    return { ok: !hasToneErrors(findings), findings };
  }
}

/** Checks what class-validator cannot (the pattern compiles in RE2, phrases are unique) and drops duplicates of form. */
function normaliseProfile(dto: UpdateToneProfileDto): ToneProfileDto {
  try {
    compileSignoffPattern(dto.signoff.pattern);
  } catch (error) {
    throw ApiError.validation('The sign-off pattern is not a valid regular expression.', {
      'signoff.pattern': [error instanceof Error ? error.message : String(error)],
    });
  }
  const phrases = dto.forbiddenPhrases.map(({ phrase, suggestion }) => ({
    phrase: phrase.trim(),
    suggestion: suggestion.trim(),
  }));
  const seen = new Set<string>();
  for (const { phrase } of phrases) {
    const key = phrase.toLocaleLowerCase('nl');
    if (seen.has(key)) {
      throw ApiError.validation(`The forbidden phrase "${phrase}" is listed twice.`, {
        forbiddenPhrases: [`"${phrase}" is listed twice`],
      });
    }
    seen.add(key);
  }
  const perChannel = Object.fromEntries(
    Object.entries(dto.addressForm.perChannel).filter(([, form]) => form !== undefined),
  );
  return {
    language: dto.language,
    addressForm: {
      default: dto.addressForm.default,
      perChannel,
      mirrorCustomer: dto.addressForm.mirrorCustomer,
    },
    forbiddenPhrases: phrases,
    signoff: { required: dto.signoff.required, pattern: dto.signoff.pattern },
    emojiAllowed: dto.emojiAllowed,
  };
}
