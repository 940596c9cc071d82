import { Injectable } from '@nestjs/common';
import type { TemplateEntity } from '@toonbank/database';
import {
  CHANNEL_PROVIDERS,
  renderTemplateSample,
  type ChannelProvider,
  type ToneProfileDto,
} from '@toonbank/shared';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { hasToneErrors, ToneJudge } from './tone-judge';
import { ToneProfilesRepository } from './tone-profiles.repository';

export type TemplateToneOk = Partial<Record<ChannelProvider, boolean>>;

/** The channels a template is meant for: its own, or every one when it names none. */
export const templateProviders = (template: Pick<TemplateEntity, 'providers'>) =>
  template.providers.length > 0 ? template.providers : [...CHANNEL_PROVIDERS];

/**
 * Does the template's text, filled with sample values, pass the profile on each of its
 * channels without a tone error (what blocks a reply, and a template when it is saved)?
 */
export function judgeTemplate(
  judge: Pick<ToneJudge, 'judge'>,
  template: Pick<TemplateEntity, 'body' | 'providers' | 'language'>,
  profile: ToneProfileDto,
): TemplateToneOk {
  const sample = renderTemplateSample(template.body);
  const judged = { ...profile, language: template.language ?? profile.language };
  return Object.fromEntries(
    templateProviders(template).map((provider) => [
      provider,
      !hasToneErrors(judge.judge(sample, judged, { provider })),
    ]),
  );
}

/** How many templates' answers one organisation keeps, and how many organisations are kept. */
const PER_ORGANISATION = 2_000;
const ORGANISATIONS = 500;

interface OrganisationEntry {
  /** The tone profile's version the answers were judged against. */
  profileVersion: string;
  /** By template id and content (templateKey). */
  answers: Map<string, TemplateToneOk>;
}

/**
 * `toneOk` of templates (API.md §Tone and templates), judged once per template and tone profile
 * and kept in the process. An answer is keyed by the organisation's profile version (its
 * `updated_at`, read in the same query as the templates: `profile_version` of
 * TemplatesRepository.page) and by the template's id and content; a changed profile or template
 * misses and is judged again, in this process or any other, so an answer is never older than
 * the rows the request read. A profile's change drops that organisation's older answers.
 */
@Injectable()
export class TemplateTone {
  private readonly organisations = new Map<string, OrganisationEntry>();

  constructor(
    private readonly judge: ToneJudge,
    private readonly profiles: ToneProfilesRepository,
  ) {}

  /**
   * The answers for `templates`, read with the profile at `profileVersion`. On a miss the profile
   * is read (once for all the misses) and its answers kept under the version read with it.
   */
  async toneOk(
    organisationId: string,
    profileVersion: string,
    templates: readonly TemplateEntity[],
    manager?: EntityManager,
  ): Promise<Map<string, TemplateToneOk>> {
    const answers = new Map<string, TemplateToneOk>();
    const misses: TemplateEntity[] = [];
    const cached = this.entry(organisationId, profileVersion);
    for (const template of templates) {
      const hit = cached?.answers.get(templateKey(template));
      if (hit) answers.set(template.id, hit);
      else misses.push(template);
    }
    if (misses.length === 0) return answers;
    const { profile, version } = await this.profiles.findVersioned(organisationId, manager);
    const entry = this.entry(organisationId, version, true)!;
    for (const template of misses) {
      const answer = judgeTemplate(this.judge, template, profile);
      answers.set(template.id, answer);
      entry.answers.set(templateKey(template), answer);
      if (entry.answers.size > PER_ORGANISATION) {
        entry.answers.delete(entry.answers.keys().next().value as string);
      }
    }
    return answers;
  }

  /** The answers for one template (the single-template answers). */
  async toneOkOf(
    organisationId: string,
    template: TemplateEntity,
    manager?: EntityManager,
  ): Promise<TemplateToneOk> {
    const version = await this.profiles.version(organisationId, manager);
    const answers = await this.toneOk(organisationId, version, [template], manager);
    return answers.get(template.id) ?? {};
  }

  /** The organisation's answers at this profile version; `create`: a fresh set for a new version. */
  private entry(
    organisationId: string,
    profileVersion: string,
    create = false,
  ): OrganisationEntry | undefined {
    const entry = this.organisations.get(organisationId);
    if (entry?.profileVersion === profileVersion) return entry;
    if (!create) return undefined;
    const fresh: OrganisationEntry = { profileVersion, answers: new Map() };
    this.organisations.delete(organisationId);
    this.organisations.set(organisationId, fresh);
    if (this.organisations.size > ORGANISATIONS) {
      this.organisations.delete(this.organisations.keys().next().value as string);
    }
    return fresh;
  }
}

/**
 * A template's id and content: what its answers depend on. (Its updated time alone would let
 * two changes within the same millisecond share an answer.)
 */
function templateKey(template: Pick<TemplateEntity, 'id' | 'body' | 'providers' | 'language'>) {
  const content = createHash('sha256')
    .update(JSON.stringify([template.body, template.providers, template.language]))
    .digest('base64url');
  return `${template.id}:${content}`;
}
