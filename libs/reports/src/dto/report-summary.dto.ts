import { ApiProperty } from '@nestjs/swagger';
import {
  CHANNEL_PROVIDERS,
  type ChannelProvider,
  type DurationStatsDto,
  type MaturityChangeDto,
  type MaturityLevel,
  type ReportAgentDto,
  type ReportSummaryDto,
} from '@toonbank/shared';

/**
 * The OpenAPI description of `ReportSummaryDto` (libs/shared/src/contract.ts holds the type
 * that the API and the web app share; these classes only document it).
 */
export class DurationStatsResponse implements DurationStatsDto {
  @ApiProperty({ description: 'How many conversations the figures cover' })
  count!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Median in seconds; null when count is 0',
  })
  medianSeconds!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: '90th percentile in seconds (percentile_cont)',
  })
  p90Seconds!: number | null;
}

export class ChannelVolumeResponse {
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CHANNEL_PROVIDERS }) provider!: ChannelProvider;
  @ApiProperty() count!: number;
}

export class HourVolumeResponse {
  @ApiProperty({
    minimum: 0,
    maximum: 23,
    description: 'Hour of the day in the organisation’s zone',
  })
  hour!: number;

  @ApiProperty() count!: number;
}

export class DayVolumeResponse {
  @ApiProperty({ example: '2026-03-29', description: 'A day in the organisation’s zone' })
  date!: string;

  @ApiProperty() count!: number;
}

export class VolumeResponse {
  @ApiProperty({
    description: 'Inbound messages received in the window (notes and outbound left out)',
  })
  total!: number;

  @ApiProperty({
    type: [ChannelVolumeResponse],
    description: 'Every channel (removed ones only with messages in the window), most first',
  })
  perChannel!: ChannelVolumeResponse[];

  @ApiProperty({ type: [HourVolumeResponse], description: 'Always 24 rows, hour 0 to 23' })
  perHour!: HourVolumeResponse[];

  @ApiProperty({ type: [DayVolumeResponse], description: 'Every day of the window, oldest first' })
  perDay!: DayVolumeResponse[];
}

export class ReportAgentResponse implements ReportAgentDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() name!: string;

  @ApiProperty({ description: 'Distinct conversations assigned to them in the window' })
  assigned!: number;

  @ApiProperty({ description: 'First responses they gave on conversations created in the window' })
  firstResponses!: number;

  @ApiProperty({ type: Number, nullable: true })
  medianFirstResponseSeconds!: number | null;

  @ApiProperty({ description: 'SLAs due in the window met by their first response' })
  slaMet!: number;

  @ApiProperty({
    description:
      'SLAs due in the window breached: answered late by them, or unanswered while they hold it',
  })
  slaBreached!: number;

  @ApiProperty({ description: 'Conversations they hold now (assigned or waiting)' })
  openNow!: number;
}

export class SlaResponse {
  @ApiProperty() met!: number;
  @ApiProperty() breached!: number;
}

export class MaturityChangeResponse implements MaturityChangeDto {
  @ApiProperty({ enum: [1, 2, 3] }) from!: MaturityLevel;
  @ApiProperty({ enum: [1, 2, 3] }) to!: MaturityLevel;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'uuid' }) byUserId!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class ReportSummaryResponse implements ReportSummaryDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the window (UTC)' })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'Exclusive end of the window (UTC)' })
  to!: string;

  @ApiProperty({
    example: 'Europe/Amsterdam',
    description: 'The organisation’s zone: hours and days',
  })
  timeZone!: string;

  @ApiProperty({
    type: DurationStatsResponse,
    description:
      'Conversations created in the window with a first response: first_response_at − created_at',
  })
  firstResponse!: DurationStatsResponse;

  @ApiProperty({
    type: DurationStatsResponse,
    description: 'Conversations closed in the window: closed_at − created_at',
  })
  resolution!: DurationStatsResponse;

  @ApiProperty({ type: VolumeResponse }) volume!: VolumeResponse;
  @ApiProperty({ type: [ReportAgentResponse] }) agents!: ReportAgentResponse[];

  @ApiProperty({ type: SlaResponse, description: 'Conversations whose SLA fell due in the window' })
  sla!: SlaResponse;

  @ApiProperty({ type: [MaturityChangeResponse], description: 'Oldest first' })
  maturityHistory!: MaturityChangeResponse[];
}
