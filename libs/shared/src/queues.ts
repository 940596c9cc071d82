/**
 * Queue and job names. They live in Redis across deployments: never rename one once
 * released. Job payloads carry ids, not whole objects.
 */
export const QueueName = {
  Maintenance: 'maintenance',
  Routing: 'routing',
  Sla: 'sla',
  Polling: 'polling',
  Ingest: 'ingest',
  Outbound: 'outbound',
  /** Counting an organisation's inbox tabs (at most once per 5 s per organisation). */
  Counts: 'counts',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  PruneSessions: 'maintenance.prune-sessions',
  /** Daily: raw payloads older than their organisation's `raw_retention_days` are dropped. */
  DropExpiredRaw: 'maintenance.drop-expired-raw',
  /** Route an organisation's unassigned queue to whoever has room. */
  RouteQueue: 'routing.route-queue',
  /**
   * Every minute: conversations whose assignee left them untouched go back to routing, and
   * every queue with waiting conversations is routed (in case a trigger was lost).
   */
  RoutingSweep: 'routing.sweep',
  /** At a conversation's first-response due time: flag the breach unless it was answered. */
  SlaCheck: 'sla.check',
  /** Every sweep interval: flag any breach whose timer was lost. */
  SlaSweep: 'sla.sweep',
  /** Fetch what is new on a polled channel account (a job scheduler per account, or "poll now"). */
  PollChannel: 'polling.poll-channel',
  /** Store a batch of inbound items: threaded, routed, pushed live, exactly once. */
  IngestBatch: 'ingest.batch',
  /** A verified Meta webhook delivery: each entry to its channel account. */
  IngestWebhook: 'ingest.webhook',
  /** Post one reply to its channel, exactly once (the job id is the reply id). */
  OutboundSend: 'outbound.send',
  /** Every sweep interval: queued replies whose job was lost are queued again. */
  OutboundSweep: 'outbound.sweep',
  /**
   * An organisation's conversations changed: count its inbox tabs again and send
   * `counts.updated`. Added with a delay and a deduplication window (one per organisation per
   * 5 s), so a burst of changes costs one count.
   */
  CountsRefresh: 'counts.refresh',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** Which queue carries each job. */
export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = {
  [JobName.PruneSessions]: QueueName.Maintenance,
  [JobName.DropExpiredRaw]: QueueName.Maintenance,
  [JobName.RouteQueue]: QueueName.Routing,
  [JobName.RoutingSweep]: QueueName.Routing,
  [JobName.SlaCheck]: QueueName.Sla,
  [JobName.SlaSweep]: QueueName.Sla,
  [JobName.PollChannel]: QueueName.Polling,
  [JobName.IngestBatch]: QueueName.Ingest,
  [JobName.IngestWebhook]: QueueName.Ingest,
  [JobName.OutboundSend]: QueueName.Outbound,
  [JobName.OutboundSweep]: QueueName.Outbound,
  [JobName.CountsRefresh]: QueueName.Counts,
};

export interface JobPayloads {
  [JobName.PruneSessions]: Record<string, never>;
  [JobName.DropExpiredRaw]: Record<string, never>;
  [JobName.RouteQueue]: { organisationId: string; reason: string };
  [JobName.RoutingSweep]: Record<string, never>;
  [JobName.SlaCheck]: { organisationId: string; conversationId: string };
  [JobName.SlaSweep]: Record<string, never>;
  [JobName.PollChannel]: {
    organisationId: string;
    channelAccountId: string;
    /** "Poll now" waits for a poll already running; a scheduled poll skips. */
    waitForTurn?: boolean;
    /** "Poll now": the user who asked, told by `channel.updated` when the poll ends. */
    requestedBy?: string;
  };
  [JobName.IngestBatch]: {
    organisationId: string;
    channelAccountId: string;
    /** InboundItems as JSON (dates as ISO strings). */
    items: Record<string, unknown>[];
    /** Stored with the items, in their transaction. */
    cursor: Record<string, unknown> | null;
    /**
     * Items of the page that cannot be stored (or even be put in a job as they are), already
     * made safe by the poller: quarantined in the items' transaction (libs/ingest).
     */
    quarantined?: Record<string, unknown>[];
  };
  /**
   * The delivery's JSON, already checked by its endpoint (`/api/webhooks/<endpoint>`). Jobs
   * queued before the webhooks became a connector capability say `source: 'meta'` instead.
   */
  [JobName.IngestWebhook]: { endpoint: string; body: unknown } | { source: 'meta'; body: unknown };
  [JobName.OutboundSend]: { organisationId: string; replyId: string };
  [JobName.OutboundSweep]: Record<string, never>;
  [JobName.CountsRefresh]: { organisationId: string };
}
