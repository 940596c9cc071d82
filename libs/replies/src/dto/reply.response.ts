import { ApiProperty } from '@nestjs/swagger';
import {
  REPLY_FAILURES,
  REPLY_STATUSES,
  type ReplyDto,
  type ReplyFailure,
  type ReplyStatus,
  type ToneFindingDto,
} from '@toonbank/shared';

/**
 * The OpenAPI description of `Reply` (libs/shared ReplyDto is the type the API and the web app
 * share; this class only documents it).
 */
export class ReplyResponse implements ReplyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) conversationId!: string;
  @ApiProperty({ format: 'uuid' }) authorId!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) templateId!: string | null;
  @ApiProperty({ description: 'Answered by direct message' }) private!: boolean;
  @ApiProperty({ enum: REPLY_STATUSES }) status!: ReplyStatus;

  @ApiProperty({ type: String, nullable: true, description: 'The channel’s id of the post' })
  externalId!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The post’s public URL on its channel, built by the connector once sent (null for a direct message, or where the channel’s ids give none: Instagram)',
  })
  externalUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed' })
  error!: string | null;

  @ApiProperty({
    enum: REPLY_FAILURES,
    nullable: true,
    description:
      'For a failed reply: not_sent when the failure proves the post never reached the channel (a team lead or admin may retry it), maybe_sent when it may have (check on the channel, never resend); null otherwise',
  })
  failure!: ReplyFailure | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true }) approvedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectionComment!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: string | null;

  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Warnings and info' })
  toneFindings!: ToneFindingDto[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  inReplyToMessageId!: string | null;
}
