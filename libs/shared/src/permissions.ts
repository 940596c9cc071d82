/**
 * What a route may require of its caller's role (`resource.action`): the names only. Which
 * role holds which is decided in libs/policy (`ROLE_PERMISSIONS`, `routeAccess`), read by the
 * API's guard and by the web app (to hide what a user cannot do).
 */
export const Permission = {
  /** One's own session, profile, password and availability. */
  SelfManage: 'self.manage',
  OrgRead: 'org.read',
  OrgManage: 'org.manage',
  OrgMaturityChange: 'org.maturity.change',
  PolicyRead: 'policy.read',
  PolicyManage: 'policy.manage',
  /** The short directory form of colleagues (names for @mentions and the inbox). */
  UserDirectory: 'user.directory',
  /** Full user records, the eligible list. */
  UserRead: 'user.read',
  UserManage: 'user.manage',
  AuditRead: 'audit.read',
  /** The reports: response times, volumes, SLA per agent, maturity history (and their CSV). */
  ReportRead: 'report.read',
  /** Read the inbox: conversations and their messages. */
  ConversationRead: 'conversation.read',
  /** Take an unassigned conversation oneself. */
  ConversationClaim: 'conversation.claim',
  /** Act on a conversation one holds: unassign, close, reopen, label. */
  ConversationAct: 'conversation.act',
  /** Write an internal note on any conversation one may read (colleagues help without holding it). */
  ConversationNote: 'conversation.note',
  /** Assign, reassign and act in bulk: the team lead's board. */
  ConversationAssign: 'conversation.assign',
  /** See the channel accounts and their health. */
  ChannelRead: 'channel.read',
  /** Connect, change, pause, poll and remove channel accounts. */
  ChannelManage: 'channel.manage',
  /** The tone profile (the composer needs it). */
  ToneRead: 'tone.read',
  ToneManage: 'tone.manage',
  /** Check a text against the tone profile. */
  ToneCheck: 'tone.check',
  TemplateRead: 'template.read',
  /** Create, change and delete templates. */
  TemplateManage: 'template.manage',
  /** Write a reply on a conversation one holds (team leads and admins on any). */
  ReplyWrite: 'reply.write',
  /** Read replies (of the conversations one may read). */
  ReplyRead: 'reply.read',
  /** The approval queue: approve or reject other people's replies. */
  ReplyApprove: 'reply.approve',
  /** Queue a failed reply again when it never reached the channel. */
  ReplyRetry: 'reply.retry',
  /** Erase a customer's texts, names and raw payloads on a channel (right to erasure). */
  CustomerErase: 'customer.erase',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];
