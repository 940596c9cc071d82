import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { commaSeparated, IsOptionalNotNull, PageQueryDto } from '@toonbank/platform';
import { REPLY_STATUSES, REPLY_TEXT_MAX_LENGTH, type ReplyStatus } from '@toonbank/shared';
import { Transform } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

export const MAX_VARIABLE_LENGTH = 500;

/** `POST /api/conversations/:id/replies`: `text` or `templateId` (with `variables`), never both. */
export class CreateReplyDto {
  @ApiPropertyOptional({
    maxLength: REPLY_TEXT_MAX_LENGTH,
    description: 'Free text (or templateId)',
  })
  @IsOptionalNotNull()
  @IsString()
  @Matches(/\S/, { message: 'text must not be blank' })
  @MaxLength(REPLY_TEXT_MAX_LENGTH)
  text?: string;

  @ApiPropertyOptional({ description: 'Answer from this template (or text)' })
  @IsOptionalNotNull()
  @IsUUID()
  templateId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "Values of the template's {{input.<name>}} slots, by name",
  })
  @IsOptionalNotNull()
  @IsObject()
  variables?: Record<string, string>;

  @ApiPropertyOptional({
    maxLength: 500,
    description: 'Team lead or admin: send despite tone errors',
  })
  @IsOptionalNotNull()
  @IsString()
  @Matches(/\S/, { message: 'overrideReason must not be blank' })
  @MaxLength(500)
  overrideReason?: string;

  @ApiPropertyOptional({
    description: "Answer by direct message (always to the conversation's customer)",
  })
  @IsOptionalNotNull()
  @IsBoolean()
  private?: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The inbound message to answer (default: the latest one; for a private reply the latest of the conversation’s customer). ' +
      'A message of another participant may be answered publicly only; not an inbound message of this conversation (or, when private, not the customer’s): 422 reply.in_reply_to_invalid',
  })
  @IsOptionalNotNull()
  @IsUUID()
  inReplyToMessageId?: string;
}

export class RejectReplyDto {
  @ApiProperty({ maxLength: 1000, description: 'What the author should do differently' })
  @IsString()
  @Matches(/\S/, { message: 'comment must not be blank' })
  @MaxLength(1000)
  comment!: string;
}

export class ListRepliesQuery extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Comma-separated statuses (pending_approval is the approval queue); absent: all',
    example: 'pending_approval',
  })
  @IsOptional()
  @Transform(commaSeparated)
  @IsArray()
  @IsIn(REPLY_STATUSES, { each: true })
  status?: ReplyStatus[];
}
