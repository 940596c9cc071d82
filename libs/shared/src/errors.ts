/** The error codes of the contract (API.md §Conventions). Never rename one. */
export const ErrorCode = {
  ValidationFailed: 'validation.failed',
  Unauthenticated: 'auth.unauthenticated',
  InvalidCredentials: 'auth.invalid_credentials',
  Forbidden: 'policy.forbidden',
  NotEligible: 'policy.not_eligible',
  TemplateRequired: 'policy.template_required',
  NotFound: 'not_found',
  Conflict: 'conflict',
  AssignmentNotEligible: 'assignment.not_eligible',
  ToneViolations: 'tone.violations',
  ChannelCredentialsInvalid: 'channel.credentials_invalid',
  /** A reply names a message to answer that is not a customer message of its conversation. */
  ReplyInReplyToInvalid: 'reply.in_reply_to_invalid',
  /** A retry of a failed reply that may have reached the channel (`failure: maybe_sent`). */
  ReplyNotRetryable: 'reply.not_retryable',
  /** A quarantined item that still cannot be stored (retry); `details.reason` says why. */
  QuarantineUnstorable: 'quarantine.unstorable',
  RateLimited: 'rate_limited',
  PayloadTooLarge: 'payload_too_large',
  /** Any other refusal of the HTTP layer (405, 415, ...): the status says which. */
  RequestRefused: 'request.refused',
  Unavailable: 'unavailable',
  /** Toonbank's own services (Redis, every worker) are down: try again later. */
  ServiceUnavailable: 'service.unavailable',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * `details.reason` of a 409 `conflict` where the server knows which state refused it, so that a
 * screen tells that story only then (a `conflict` without one, such as a transaction whose
 * retries ran out, is the generic "changed meanwhile").
 */
export const ConflictReason = {
  /** Deactivating or demoting the organisation's last active admin. */
  LastAdmin: 'last_admin',
  /** A user with this e-mail address exists. */
  EmailTaken: 'email_taken',
  /** A template with this name exists. */
  NameTaken: 'name_taken',
  /** Polling a paused channel. */
  ChannelPaused: 'channel_paused',
  /** Polling a channel that pushes its messages (a webhook). */
  ChannelPushes: 'channel_pushes',
} as const;
export type ConflictReason = (typeof ConflictReason)[keyof typeof ConflictReason];

/** The one shape of every error answer. */
export interface ApiErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** `details` of a 400 `validation.failed`: the offending fields and what is wrong with each. */
export interface ValidationErrorDetails {
  fields: string[];
  errors: Record<string, string[]>;
}
