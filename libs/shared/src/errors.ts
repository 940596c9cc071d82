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
