import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService, changedFields } from '@toonbank/audit';
import { TemplateEntity } from '@toonbank/database';
import {
  ApiError,
  CursorCodec,
  DEFAULT_PAGE_SIZE,
  inTransaction,
  type Principal,
} from '@toonbank/platform';
import {
  ConflictReason,
  AuditAction,
  CHANNEL_PROVIDERS,
  parsePlaceholders,
  renderTemplateSample,
  type ChannelProvider,
  type Page,
  type TemplateDto,
  type TemplatePlaceholders,
  type ToneFindingDto,
  type ToneLanguage,
} from '@toonbank/shared';
import { DataSource, type EntityManager } from 'typeorm';
import type { CreateTemplateDto, ListTemplatesQuery, UpdateTemplateDto } from './dto/template.dto';
import { presentTemplate, templateAuditView } from './template.presenter';
import { TemplateTone } from './template-tone';
import { TemplatesRepository } from './templates.repository';
import { hasToneErrors, ToneJudge, toneViolations } from './tone-judge';
import { ToneProfilesRepository } from './tone-profiles.repository';

interface TemplateContent {
  name: string;
  body: string;
  providers: ChannelProvider[];
  language: ToneLanguage | null;
}

/** The body's placeholders; 400 naming any unknown one. */
function knownPlaceholders(body: string) {
  const placeholders = parsePlaceholders(body);
  const { unknown } = placeholders;
  if (unknown.length > 0) {
    throw ApiError.validation(
      `Unknown placeholder${unknown.length > 1 ? 's' : ''}: ${unknown.map((name) => `{{${name}}}`).join(', ')}.`,
      { body: unknown.map((name) => `unknown placeholder {{${name}}}`) },
    );
  }
  return placeholders;
}

const duplicateName = (error: unknown) => {
  if ((error as { code?: string }).code === '23505')
    return ApiError.conflict('A template with this name already exists.', ConflictReason.NameTaken);
  return error;
};

/**
 * Templates (API.md §Tone and templates): every placeholder known, and the text, filled in
 * with sample values, free of tone errors on each channel it is meant for.
 */
@Injectable()
export class TemplatesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly templates: TemplatesRepository,
    private readonly profiles: ToneProfilesRepository,
    private readonly judge: ToneJudge,
    private readonly tone: TemplateTone,
    private readonly audit: AuditLogService,
    private readonly cursors: CursorCodec,
  ) {}

  async list(principal: Principal, query: ListTemplatesQuery): Promise<Page<TemplateDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor
      ? this.cursors.decode<{ name: string; id: string }>(query.cursor, ['name', 'id'])
      : undefined;
    const organisationId = principal.organisation.id;
    const { rows, profileVersion } = await this.templates.page(organisationId, limit, {
      provider: query.provider,
      after,
    });
    const items = rows.slice(0, limit);
    const toneOk = await this.tone.toneOk(organisationId, profileVersion, items);
    const last = rows[limit - 1];
    return {
      items: items.map((template) => presentTemplate(template, toneOk.get(template.id) ?? {})),
      nextCursor:
        rows.length > limit && last ? this.cursors.encode({ name: last.name, id: last.id }) : null,
    };
  }

  async create(principal: Principal, dto: CreateTemplateDto): Promise<TemplateDto> {
    const content: TemplateContent = {
      name: dto.name.trim(),
      body: dto.body,
      providers: dto.providers ?? [],
      language: dto.language ?? null,
    };
    const { inputs } = await this.mustBeClean(principal, content);
    const template = await inTransaction(this.db, async (manager) => {
      const created = await manager.save(
        manager.create(TemplateEntity, {
          organisationId: principal.organisation.id,
          ...content,
          createdBy: principal.user.id,
          deletedAt: null,
        }),
      );
      await this.record(manager, principal, AuditAction.TemplateCreated, created.id, {
        after: templateAuditView(created),
      });
      return created;
    }).catch((error: unknown) => {
      throw duplicateName(error);
    });
    return presentTemplate(template, await this.toneOkOf(principal, template), inputs);
  }

  async update(principal: Principal, id: string, dto: UpdateTemplateDto): Promise<TemplateDto> {
    // A malformed body is 400 before a missing template is 404 (API.md's order).
    const parsed = dto.body ? knownPlaceholders(dto.body) : undefined;
    let inputs: readonly string[] = [];
    const template = await inTransaction(this.db, async (manager) => {
      const existing = await this.templates.lock(manager, principal.organisation.id, id);
      if (!existing) throw ApiError.notFound('The template');
      const before = templateAuditView(existing);
      const content: TemplateContent = {
        name: dto.name?.trim() ?? existing.name,
        body: dto.body ?? existing.body,
        providers: dto.providers ?? existing.providers,
        language: dto.language === undefined ? existing.language : dto.language,
      };
      ({ inputs } = await this.mustBeClean(principal, content, manager, parsed));
      const change = changedFields(before, { ...content });
      if (!change) return existing;
      Object.assign(existing, content);
      const saved = await manager.save(existing);
      await this.record(manager, principal, AuditAction.TemplateUpdated, id, change);
      return saved;
    }).catch((error: unknown) => {
      throw duplicateName(error);
    });
    return presentTemplate(template, await this.toneOkOf(principal, template), inputs);
  }

  /** Soft: replies keep pointing at what they were written from. */
  async remove(principal: Principal, id: string): Promise<TemplateDto> {
    const template = await inTransaction(this.db, async (manager) => {
      const existing = await this.templates.lock(manager, principal.organisation.id, id);
      if (!existing) throw ApiError.notFound('The template');
      existing.deletedAt = new Date();
      const saved = await manager.save(existing);
      await this.record(manager, principal, AuditAction.TemplateDeleted, id, {
        before: templateAuditView(existing),
      });
      return saved;
    });
    return presentTemplate(template, await this.toneOkOf(principal, template));
  }

  /** A single template's `toneOk`, against the profile as it is now. */
  private toneOkOf(principal: Principal, template: TemplateEntity) {
    return this.tone.toneOkOf(principal.organisation.id, template);
  }

  /**
   * 400 for an unknown placeholder; 422 when the sample text breaks the tone on any of its
   * channels. The body is parsed once (`parsed`: already, by the caller); its placeholders
   * are returned for the response.
   */
  private async mustBeClean(
    principal: Principal,
    content: TemplateContent,
    manager?: EntityManager,
    parsed?: TemplatePlaceholders,
  ): Promise<TemplatePlaceholders> {
    const placeholders = parsed ?? knownPlaceholders(content.body);
    const stored = await this.profiles.find(principal.organisation.id, manager);
    const profile = { ...stored, language: content.language ?? stored.language };
    const sample = renderTemplateSample(content.body, placeholders.inputs);
    const providers = content.providers.length > 0 ? content.providers : [...CHANNEL_PROVIDERS];
    const errors: (ToneFindingDto & { provider: ChannelProvider })[] = [];
    for (const provider of providers) {
      const findings = this.judge.judge(sample, profile, { provider, reader: principal.user });
      if (!hasToneErrors(findings)) continue;
      for (const finding of findings) {
        if (finding.severity !== 'error') continue;
        // The same finding on every channel is reported once.
        if (errors.some((e) => e.ruleId === finding.ruleId && e.start === finding.start)) continue;
        errors.push({ ...finding, provider });
      }
    }
    if (errors.length > 0) {
      // The offsets point into the sample text, which the client needs to show them.
      throw toneViolations(errors, 'The template', { text: sample });
    }
    return placeholders;
  }

  private record(
    manager: EntityManager,
    principal: Principal,
    action: AuditAction,
    subjectId: string,
    values: { before?: Record<string, unknown>; after?: Record<string, unknown> },
  ) {
    return this.audit.record(manager, {
      organisationId: principal.organisation.id,
      actorId: principal.user.id,
      action,
      subjectType: 'template',
      subjectId,
      ...values,
    });
  }
}
