import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { UserEntity } from '@toonbank/database';
import { ApiError } from '@toonbank/platform';
import {
  channelLengthRule,
  ErrorCode,
  TONE_LANGUAGES,
  type ChannelProvider,
  type ToneFindingDto,
  type ToneLanguage,
  type ToneProfileDto,
} from '@toonbank/shared';
import { checkTone } from '@toonbank/tone';
import { DataSource, type EntityManager } from 'typeorm';

/** How many of the customer's latest messages count as "the customer's own words". */
const CUSTOMER_MESSAGES = 5;

export interface ToneSituation {
  /** The channel; absent: no channel's length rule or address form applies. */
  provider?: ChannelProvider | null;
  private?: boolean;
  customerText?: string | null;
  /** Whose language the findings speak. */
  reader?: Pick<UserEntity, 'languages'>;
}

export const hasToneErrors = (findings: readonly ToneFindingDto[]): boolean =>
  findings.some((finding) => finding.severity === 'error');

export const toneViolations = (
  findings: ToneFindingDto[],
  what = 'The text',
  extra: Record<string, unknown> = {},
) =>
  new ApiError(
    422,
    ErrorCode.ToneViolations,
    `${what} breaks the organisation's tone of voice: ${findings
      .filter((finding) => finding.severity === 'error')
      .map((finding) => finding.ruleId)
      .join(', ')}.`,
    { findings, ...extra },
  );

/** The reader's first language where the engine speaks it, else the profile's. */
export function localeFor(
  reader: Pick<UserEntity, 'languages'> | undefined,
  profile: ToneProfileDto,
): ToneLanguage {
  const first = reader?.languages?.[0];
  return (TONE_LANGUAGES as readonly string[]).includes(first ?? '')
    ? (first as ToneLanguage)
    : profile.language;
}

/** Runs the pure tone engine with what the database knows about the situation. */
@Injectable()
export class ToneJudge {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  judge(text: string, profile: ToneProfileDto, situation: ToneSituation): ToneFindingDto[] {
    const provider = situation.provider ?? undefined;
    return checkTone({
      text,
      profile,
      provider,
      length: provider ? channelLengthRule(provider, situation.private ?? false) : null,
      private: situation.private ?? false,
      customerText: situation.customerText ?? null,
      locale: localeFor(situation.reader, profile),
    });
  }

  /** The customer's latest inbound messages on a conversation, oldest first. */
  async customerText(
    organisationId: string,
    conversationId: string,
    manager?: EntityManager,
  ): Promise<string> {
    const rows: { text: string }[] = await (manager ?? this.db.manager).query(
      `SELECT text FROM (
         SELECT text, created_at FROM messages
          WHERE organisation_id = $1 AND conversation_id = $2 AND direction = 'inbound'
          ORDER BY created_at DESC LIMIT $3
       ) latest ORDER BY created_at`,
      [organisationId, conversationId, CUSTOMER_MESSAGES],
    );
    return rows.map((row) => row.text).join('\n');
  }
}
