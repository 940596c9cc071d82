import type { MaturityLevel, MaturityName } from './maturity';
import type { Role } from './roles';

/** The shapes of API.md, shared by the API and the web app. Times are ISO-8601 UTC strings. */

export interface UserDto {
  id: string;
  email: string;
  name: string;
  initials: string;
  role: Role;
  active: boolean;
  trainedAt: string | null;
  capacity: number;
  languages: string[];
  available: boolean;
  eligible: boolean;
  approvalsEarned: number;
  approvalLifted: boolean;
}

/** `GET /api/users/eligible`: a `User` with the open conversations (`assigned`, `waiting`) that capacity counts. */
export interface EligibleUserDto extends UserDto {
  openConversations: number;
}

/** What every colleague may see of another (GET /api/users for roles without `user.read`). */
export type DirectoryUserDto = Pick<UserDto, 'id' | 'name' | 'initials' | 'role' | 'available'>;

export const ROUTING_STRATEGIES = ['least_loaded', 'round_robin', 'manual'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Opening intervals per weekday as ["HH:MM", "HH:MM"] pairs, in the organisation's time zone. */
export type BusinessHours = Partial<Record<Weekday, [string, string][]>>;

export interface OrganisationDto {
  id: string;
  name: string;
  slug: string;
  maturityLevel: MaturityLevel;
  maturityName: MaturityName;
  routingStrategy: RoutingStrategy;
  slaFirstResponseMinutes: number;
  businessHours: BusinessHours | null;
  timeZone: string;
  handBackMinutes: number;
  rawRetentionDays: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface LoginResponse extends TokenPair {
  user: UserDto;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface HealthDto {
  status: 'ok' | 'error';
  db: 'up' | 'down';
  redis: 'up' | 'down';
}

export const CHANNEL_PROVIDERS = ['mastodon', 'bluesky', 'x', 'facebook', 'instagram'] as const;
export type ChannelProvider = (typeof CHANNEL_PROVIDERS)[number];

export const CHANNEL_STATUSES = ['active', 'degraded', 'paused'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export const CONVERSATION_STATUSES = ['unassigned', 'assigned', 'waiting', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const MESSAGE_DIRECTIONS = ['inbound', 'outbound', 'note'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

export const REPLY_STATUSES = [
  'pending_approval',
  'rejected',
  'withdrawn',
  'queued',
  'sent',
  'failed',
] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

/**
 * Why a `failed` reply failed, as far as the channel is concerned: `not_sent` when the failure
 * proves the post never reached the channel (a refusal before anything was posted, a connection
 * that never opened, our own check): a team lead or admin may retry it. `maybe_sent` when it
 * may have arrived (a timeout after the request left, a crash mid-send, a 5xx): check on the
 * channel, never resend blindly.
 */
export const REPLY_FAILURES = ['not_sent', 'maybe_sent'] as const;
export type ReplyFailure = (typeof REPLY_FAILURES)[number];

export const ADDRESS_FORMS = ['formal', 'informal'] as const;
export type AddressForm = (typeof ADDRESS_FORMS)[number];

export const TONE_LANGUAGES = ['nl', 'en'] as const;
export type ToneLanguage = (typeof TONE_LANGUAGES)[number];

export interface CustomerDto {
  handle: string;
  name: string | null;
}

/** `Conversation` of API.md §Conversations and messages. */
export interface ConversationDto {
  id: string;
  channelId: string;
  provider: ChannelProvider;
  reference: string;
  status: ConversationStatus;
  assigneeId: string | null;
  customer: CustomerDto;
  language: string | null;
  labels: string[];
  preview: string;
  lastMessageAt: string;
  firstResponseAt: string | null;
  slaDueAt: string | null;
  slaBreached: boolean;
}

export interface AttachmentDto {
  type: string;
  url: string;
}

/** `Message` of API.md. */
export interface MessageDto {
  id: string;
  direction: MessageDirection;
  externalId: string | null;
  authorHandle: string | null;
  authorUserId?: string | null;
  text: string;
  attachments: AttachmentDto[];
  createdAt: string;
  replyId?: string | null;
  /** The post's public URL on its channel; null for a note, a direct message, or when unknown. */
  externalUrl: string | null;
}

export interface ConversationDetailDto extends ConversationDto {
  messages: MessageDto[];
}

export const BULK_ACTIONS = ['close', 'assign', 'label', 'spam'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export interface BulkResultDto {
  done: number;
  failed: { id: string; code: string }[];
}

export type NotificationType = 'mention' | 'sla_breach' | 'approval_needed' | 'reply_rejected';

export interface NotificationDto {
  type: NotificationType;
  conversationId: string;
  replyId?: string;
  /** The server's own sentence (English); a client in another language builds its own from the fields below. */
  text: string;
  /** Who acted: the author of the note or of the reply, the lead who rejected it. */
  actorName?: string;
  /** The words concerned, shortened: the note, the reply, the rejection's comment. */
  quote?: string;
  /** The conversation's reference ("DEMO-42"), where the text names it. */
  reference?: string;
}

/** `GET /api/channels` (API.md §Channels): never the credentials. */
export interface ChannelDto {
  id: string;
  provider: ChannelProvider;
  name: string;
  handle: string | null;
  status: ChannelStatus;
  lastError: string | null;
  lastPolledAt: string | null;
  pollIntervalSeconds: number;
  /** What may be shown of the configuration (instance URL, page id), never a secret. */
  config: Record<string, unknown>;
  /** Polled by the worker, or pushed by the channel's webhook. */
  ingest: 'poll' | 'webhook';
  throttledUntil: string | null;
  createdAt: string;
}

/** One field of a provider's `config` for `POST /api/channels`, as its connector describes it. */
export interface ChannelConfigFieldDto {
  /** The key in `config`. */
  key: string;
  /** English; the web app shows its own words for the keys it knows (`adminChannels.fields.<key>`). */
  label: string;
  /** `secret`: write-only, never shown again (a password input). */
  kind: 'text' | 'url' | 'secret';
  /** May be left out: the server then uses `placeholder`'s value (a URL field's public host). */
  required: boolean;
  placeholder?: string;
}

/** `GET /api/channels/providers`: what each provider needs to be connected. */
export interface ChannelProviderDto {
  provider: ChannelProvider;
  /** Polled by the worker (a poll interval applies), or pushed by the channel's webhook. */
  ingest: 'poll' | 'webhook';
  fields: ChannelConfigFieldDto[];
}

/** How a "poll now" ended: what it stored, or why it failed. */
export type PollOutcomeDto =
  | { jobId: string; fetched: number; stored: number; skipped?: string }
  | { jobId: string; error: string };

/** `channel.updated`: the channel as it is now, with the outcome of the "poll now" that ended. */
export interface ChannelUpdatedDto extends ChannelDto {
  poll?: PollOutcomeDto;
}

/** The answer to a "poll now" that is still running after the wait (202). */
export interface PollAcceptedDto {
  jobId: string;
}

/** `GET /api/org/maturity/history` and the reports: one change of the maturity level. */
export interface MaturityChangeDto {
  from: MaturityLevel;
  to: MaturityLevel;
  reason: string;
  byUserId: string;
  at: string;
}

/** A duration in whole-window statistics: `null` seconds when `count` is 0. */
export interface DurationStatsDto {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** One agent's row of the report (any user with work in the window or open conversations now). */
export interface ReportAgentDto {
  userId: string;
  name: string;
  /** Distinct conversations assigned to them in the window (routing, assignment or claim). */
  assigned: number;
  /** Conversations created in the window whose first sent reply is theirs. */
  firstResponses: number;
  medianFirstResponseSeconds: number | null;
  slaMet: number;
  slaBreached: number;
  /** Conversations they hold right now (`assigned` or `waiting`), whatever the window. */
  openNow: number;
}

/**
 * `GET /api/reports/summary` (libs/reports/src/reports.service.ts defines every figure).
 * `from`/`to` are the window as ISO-8601 UTC instants, `to` exclusive; days and hours are
 * counted in `timeZone`, the organisation's.
 */
export interface ReportSummaryDto {
  from: string;
  to: string;
  timeZone: string;
  firstResponse: DurationStatsDto;
  resolution: DurationStatsDto;
  volume: {
    total: number;
    perChannel: { channelId: string; name: string; provider: ChannelProvider; count: number }[];
    /** Always 24 rows, hour 0–23 of the day in `timeZone`. */
    perHour: { hour: number; count: number }[];
    /** Every day of the window in `timeZone`, oldest first, `YYYY-MM-DD`. */
    perDay: { date: string; count: number }[];
  };
  agents: ReportAgentDto[];
  sla: { met: number; breached: number };
  /** The maturity changes in the window, oldest first. */
  maturityHistory: MaturityChangeDto[];
}
