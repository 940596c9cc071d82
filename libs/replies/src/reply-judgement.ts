import type { ConversationView } from '@toonbank/conversations';
import type {
  ConversationEntity,
  OrganisationEntity,
  TemplateEntity,
  UserEntity,
} from '@toonbank/database';
import { ApiError } from '@toonbank/platform';
import { capabilitiesOf, matrixOf, mayActOn, type Capabilities } from '@toonbank/policy';
import { ErrorCode, type ToneFindingDto } from '@toonbank/shared';
import type { ToneJudge, ToneProfilesRepository } from '@toonbank/templates';
import type { EntityManager } from 'typeorm';

/**
 * Steps 3 and 4 of README "How a reply goes out", shared by a new reply and a retry (which
 * judges the stored reply again as if its author wrote it now): the author may act on the
 * conversation (403 `policy.forbidden`), is eligible at the current level (403
 * `policy.not_eligible`), writes from a template where the policy says so (403
 * `policy.template_required`), and the conversation takes replies (409). `who` words the
 * refusals: the caller (`you`) or the stored reply's author.
 */
export function judgeAuthor(
  organisation: OrganisationEntity,
  conversation: ConversationEntity,
  author: UserEntity,
  fromTemplate: boolean,
  now: Date,
  who: 'you' | 'author' = 'you',
): Capabilities {
  const you = who === 'you';
  if (!mayActOn(author, conversation)) {
    throw ApiError.forbidden(
      you
        ? 'Only the assignee, a team lead or an admin may reply here.'
        : "The reply's author no longer holds this conversation.",
    );
  }
  const can = capabilitiesOf(matrixOf(organisation), organisation.maturityLevel, author, now, {
    approvalsEarned: author.approvalsEarned,
    approvalsToLift: organisation.approvalsToLift,
  });
  if (!can.respond) {
    throw you
      ? ApiError.notEligible()
      : ApiError.notEligible(
          "The reply's author may not respond to customers at the current maturity level.",
        );
  }
  if (can.template && !fromTemplate) {
    throw new ApiError(
      403,
      ErrorCode.TemplateRequired,
      you
        ? 'At this maturity level your replies start from a template.'
        : "At this maturity level the author's replies start from a template; this one is free text.",
    );
  }
  if (conversation.status === 'closed') {
    throw ApiError.conflict(
      you
        ? 'The conversation is closed; reopen it to reply.'
        : 'The conversation was closed; reopen it before retrying.',
    );
  }
  if (conversation.erasedAt) {
    throw ApiError.conflict('The customer was erased: this conversation takes no replies.');
  }
  return can;
}

/**
 * The tone check of a reply's text as step 6 judges it: the organisation's current profile (in
 * the template's language where it names one), the conversation's channel, a public or direct
 * answer, the customer's own latest words, the author as reader.
 */
export async function judgeTone(
  tone: { profiles: ToneProfilesRepository; judge: ToneJudge },
  manager: EntityManager,
  reply: {
    text: string;
    view: ConversationView;
    author: UserEntity;
    isPrivate: boolean;
    template: TemplateEntity | null;
  },
): Promise<ToneFindingDto[]> {
  const { text, view, author, isPrivate, template } = reply;
  const stored = await tone.profiles.find(view.conversation.organisationId, manager);
  const profile = template?.language ? { ...stored, language: template.language } : stored;
  return tone.judge.judge(text, profile, {
    provider: view.provider,
    private: isPrivate,
    customerText: await tone.judge.customerText(
      view.conversation.organisationId,
      view.conversation.id,
      manager,
    ),
    reader: author,
  });
}
