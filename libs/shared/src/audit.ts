/** Audit action names (API.md §Audit: an enum in libs/shared). Never rename one. */
export const AuditAction = {
  AuthLogin: 'auth.login',
  AuthLogout: 'auth.logout',
  AuthRefreshReuse: 'auth.refresh_reuse',
  UserCreated: 'user.created',
  UserUpdated: 'user.updated',
  UserPasswordChanged: 'user.password_changed',
  UserAvailabilityChanged: 'user.availability_changed',
  OrgUpdated: 'org.updated',
  OrgMaturityChanged: 'org.maturity_changed',
  OrgPolicyChanged: 'org.policy_changed',
  ConversationAssigned: 'conversation.assigned',
  ConversationUnassigned: 'conversation.unassigned',
  ConversationClosed: 'conversation.closed',
  ConversationReopened: 'conversation.reopened',
  ConversationLabelled: 'conversation.labelled',
  ConversationNoteAdded: 'conversation.note_added',
  ConversationSlaBreached: 'conversation.sla_breached',
  ChannelCreated: 'channel.created',
  ChannelUpdated: 'channel.updated',
  ChannelDeleted: 'channel.deleted',
  /** A quarantined item an admin stored again (subject: the channel). */
  ChannelQuarantineRetried: 'channel.quarantine_retried',
  /** A quarantined item an admin threw away (subject: the channel); never its payload. */
  ChannelQuarantineDiscarded: 'channel.quarantine_discarded',
  ReplyCreated: 'reply.created',
  ReplyToneOverridden: 'reply.tone_overridden',
  ReplyApproved: 'reply.approved',
  ReplyRejected: 'reply.rejected',
  ReplyWithdrawn: 'reply.withdrawn',
  ReplySent: 'reply.sent',
  ReplyFailed: 'reply.failed',
  /** A team lead or admin queued a failed reply again (it never reached the channel). */
  ReplyRetried: 'reply.retried',
  ToneProfileChanged: 'tone_profile.changed',
  TemplateCreated: 'template.created',
  TemplateUpdated: 'template.updated',
  TemplateDeleted: 'template.deleted',
  /** Counts and the pseudonym only: the log is append-only, so never the customer's words. */
  CustomerErased: 'customer.erased',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export const AUDIT_SUBJECT_TYPES = [
  'organisation',
  'user',
  'conversation',
  'reply',
  'channel',
  'template',
  'tone_profile',
  'customer',
] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number];

export interface AuditEntryDto {
  id: string;
  at: string;
  actorId: string | null;
  action: AuditAction;
  subjectType: AuditSubjectType;
  subjectId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
}
