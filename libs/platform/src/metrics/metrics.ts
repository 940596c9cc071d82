import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type LabelValues,
} from 'prom-client';
import { onTransactionRetry } from '../database/transactions';

/** The states of a queue that /metrics reports (BullMQ's `prioritized` counts as waiting). */
export const QUEUE_DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueDepthState = (typeof QUEUE_DEPTH_STATES)[number];
export type QueueDepths = Record<string, Record<QueueDepthState, number>>;

/**
 * Every metric a Toonbank process exposes, in one registry of its own (not prom-client's
 * global one: several applications may live in one process, as in the tests). Each process
 * reports what it observes: the api its HTTP requests, sockets and, read from Redis at each
 * scrape, the queue depths; the worker its jobs, ingest and replies sent. Prometheus adds
 * the `instance` label and sums across processes.
 */
@Injectable()
export class Metrics implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private stopCountingRetries?: () => void;

  private socketCount?: () => number;
  private queueDepths?: () => Promise<QueueDepths | null>;

  /** By route template (`/api/conversations/:id`), never the raw URL. */
  readonly httpDuration = new Histogram({
    name: 'toonbank_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly socketConnections = new Gauge({
    name: 'toonbank_socket_connections',
    help: 'socket.io connections held by this api process (namespace /inbox)',
    registers: [this.registry],
    collect: () => {
      if (this.socketCount) this.socketConnections.set(this.socketCount());
    },
  });

  readonly queueJobs = new Gauge({
    name: 'toonbank_queue_jobs',
    help: 'Jobs per queue and state, read from BullMQ at each scrape (same for every api process)',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
    collect: async () => {
      if (!this.queueDepths) return;
      this.queueJobs.reset();
      const depths = await this.queueDepths();
      if (!depths) return; // Redis away: no series rather than stale ones
      for (const [queue, states] of Object.entries(depths)) {
        for (const state of QUEUE_DEPTH_STATES) this.queueJobs.set({ queue, state }, states[state]);
      }
    },
  });

  /** Measured in the worker, around the job's handler. */
  readonly jobDuration = new Histogram({
    name: 'toonbank_job_duration_seconds',
    help: 'Job handling time per queue, job name and outcome (completed, failed, delayed)',
    labelNames: ['queue', 'name', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly ingestMessages = new Counter({
    name: 'toonbank_ingest_messages_total',
    help: 'Inbound messages stored, per provider and channel account',
    labelNames: ['provider', 'channel_account'] as const,
    registers: [this.registry],
  });

  readonly ingestQuarantined = new Counter({
    name: 'toonbank_ingest_quarantined_total',
    help: 'Inbound items that could not be stored and were quarantined, per provider and source (poll, webhook)',
    labelNames: ['provider', 'source'] as const,
    registers: [this.registry],
  });

  readonly ingestLag = new Histogram({
    name: 'toonbank_ingest_lag_seconds',
    help: 'From a message created at the channel to stored here, per provider',
    labelNames: ['provider'] as const,
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600, 21600, 86400],
    registers: [this.registry],
  });

  readonly replyLatency = new Histogram({
    name: 'toonbank_reply_latency_seconds',
    help: 'From a reply created (written) to sent to its channel, approval included, per provider',
    labelNames: ['provider'] as const,
    buckets: [1, 2, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200, 21600, 86400],
    registers: [this.registry],
  });

  /** Transactions PostgreSQL aborted (deadlock, serialization) and `inTransaction` ran again. */
  readonly transactionRetries = new Counter({
    name: 'toonbank_transaction_retries_total',
    help: 'Transactions run again after PostgreSQL aborted them, by reason (deadlock, serialization)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  onModuleInit(): void {
    this.stopCountingRetries = onTransactionRetry((reason) =>
      this.transactionRetries.inc({ reason }),
    );
  }

  onModuleDestroy(): void {
    this.stopCountingRetries?.();
  }

  /** The api's gateway tells how many sockets it holds (read at each scrape). */
  countSocketsWith(count: () => number): void {
    this.socketCount = count;
  }

  /** The api reads the queue depths from Redis at each scrape; null when it cannot. */
  readQueueDepthsWith(read: () => Promise<QueueDepths | null>): void {
    this.queueDepths = read;
  }

  /** Inbound messages of one batch stored at `storedAt`. */
  ingested(
    provider: string,
    channelAccountId: string,
    createdAt: readonly Date[],
    storedAt: Date,
  ): void {
    if (createdAt.length === 0) return;
    this.ingestMessages.inc({ provider, channel_account: channelAccountId }, createdAt.length);
    for (const created of createdAt) {
      this.ingestLag.observe({ provider }, seconds(storedAt.getTime() - created.getTime()));
    }
  }

  /** Items of one batch newly quarantined. */
  quarantined(provider: string, source: string, count: number): void {
    if (count > 0) this.ingestQuarantined.inc({ provider, source }, count);
  }

  replySent(provider: string, createdAt: Date, sentAt: Date): void {
    this.replyLatency.observe({ provider }, seconds(sentAt.getTime() - createdAt.getTime()));
  }

  /** Starts timing a job; call the result with its outcome. */
  timeJob(labels: LabelValues<'queue' | 'name'>): (outcome: string) => void {
    const end = this.jobDuration.startTimer(labels);
    return (outcome) => end({ outcome });
  }

  /** The Prometheus text exposition. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Clocks differ between a channel and us: a message "from the future" counts as no lag. */
const seconds = (ms: number) => Math.max(0, ms) / 1000;
