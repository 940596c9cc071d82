import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ChannelProvider, MaturityLevel } from '@toonbank/shared';
import { inTransaction } from '@toonbank/platform';
import { DataSource } from 'typeorm';
import {
  AGENTS_SQL,
  CHANNELS_SQL,
  MATURITY_HISTORY_SQL,
  RESPONSE_TIMES_SQL,
  SLA_SQL,
  VOLUME_SQL,
} from './report-queries';
import type { ReportWindow } from './report-window';

export interface DurationRow {
  kind: 'firstResponse' | 'resolution';
  count: number;
  median: number | null;
  p90: number | null;
}

export interface VolumeRow {
  dimension: 'channel' | 'hour' | 'day';
  channel_id: string | null;
  hour: number | null;
  day: string | null;
  count: number;
}

export interface ChannelRow {
  id: string;
  name: string;
  provider: ChannelProvider;
  deleted: boolean;
}

export interface AgentRow {
  user_id: string;
  name: string;
  assigned: number;
  first_responses: number;
  median: number | null;
  sla_met: number;
  sla_breached: number;
  open_now: number;
}

export interface MaturityRow {
  from: MaturityLevel;
  to: MaturityLevel;
  reason: string;
  by_user_id: string;
  at: Date;
}

/** Everything one report reads, taken from one snapshot of the database. */
export interface ReportRows {
  durations: DurationRow[];
  volume: VolumeRow[];
  channels: ChannelRow[];
  agents: AgentRow[];
  sla: { met: number; breached: number };
  maturity: MaturityRow[];
}

/** A report's queries; the organisation id is always required. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * One read-only REPEATABLE READ transaction, so that the sections agree with each other
   * (a conversation closed between two queries is in both or in neither); `now` decides
   * which SLAs have fallen due.
   */
  read(organisationId: string, window: ReportWindow, now: Date): Promise<ReportRows> {
    return inTransaction(
      this.db,
      async (manager) => {
        await manager.query('SET TRANSACTION READ ONLY');
        const range = [organisationId, window.start, window.end];
        const durations: DurationRow[] = await manager.query(RESPONSE_TIMES_SQL, range);
        const volume: VolumeRow[] = await manager.query(VOLUME_SQL, [...range, window.timeZone]);
        const channels: ChannelRow[] = await manager.query(CHANNELS_SQL, [organisationId]);
        const agents: AgentRow[] = await manager.query(AGENTS_SQL, [...range, now]);
        const [sla]: [{ met: number; breached: number }] = await manager.query(SLA_SQL, [
          ...range,
          now,
        ]);
        const maturity: MaturityRow[] = await manager.query(MATURITY_HISTORY_SQL, range);
        return { durations, volume, channels, agents, sla, maturity };
      },
      { isolation: 'REPEATABLE READ' },
    );
  }
}
