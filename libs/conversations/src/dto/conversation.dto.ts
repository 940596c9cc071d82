import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { commaSeparated, PageQueryDto } from '@toonbank/platform';
import {
  BULK_ACTIONS,
  CONVERSATION_STATUSES,
  REPLY_TEXT_MAX_LENGTH,
  type BulkAction,
  type ConversationStatus,
} from '@toonbank/shared';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  NotContains,
  ValidateIf,
} from 'class-validator';

/** UUIDs are compared as PostgreSQL does: case-insensitively. */
const lowerCaseIds = ({ value }: { value: unknown }) =>
  Array.isArray(value)
    ? value.map((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
    : typeof value === 'string'
      ? value.toLowerCase()
      : value;

/** Labels: short, lower-case words (spam, storing, factuur). */
export const LABEL_PATTERN = /^[\p{Ll}\p{N}][\p{Ll}\p{N}_-]{0,39}$/u;
const LABEL_MESSAGE = 'label must be a lower-case word';

export class ListConversationsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'unassigned,assigned' })
  @IsOptional()
  @Transform(commaSeparated)
  @IsArray()
  @IsIn(CONVERSATION_STATUSES, { each: true })
  status?: ConversationStatus[];

  @ApiPropertyOptional({ description: '`me`, `none` or a user id' })
  @IsOptional()
  @ValidateIf((_o, value) => value !== 'me' && value !== 'none')
  @IsUUID()
  assignee?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  channelId?: string;

  @ApiPropertyOptional({ description: 'The customer’s handle' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  customer?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(LABEL_PATTERN, { message: LABEL_MESSAGE })
  label?: string;

  @ApiPropertyOptional({ description: 'Searches the preview and the customer’s handle and name' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: ['activity', 'sla'], default: 'activity' })
  @IsOptional()
  @IsIn(['activity', 'sla'])
  sort?: 'activity' | 'sla';
}

export class AssignConversationDto {
  @ApiProperty({ format: 'uuid' })
  @Transform(lowerCaseIds)
  @IsUUID()
  userId!: string;
}

export const MAX_BULK = 500;

export class BulkConversationsDto {
  @ApiProperty({ type: [String], maxItems: MAX_BULK })
  @Transform(lowerCaseIds)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  ids!: string[];

  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS)
  action!: BulkAction;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for assign' })
  @Transform(lowerCaseIds)
  @ValidateIf((o: BulkConversationsDto) => o.action === 'assign' || o.userId !== undefined)
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ description: 'Required for label' })
  @ValidateIf((o: BulkConversationsDto) => o.action === 'label' || o.label !== undefined)
  @Matches(LABEL_PATTERN, { message: LABEL_MESSAGE })
  label?: string;
}

export const MAX_LABELS = 20;

/**
 * Labels as the list filter (`?label=`) finds them: trimmed and lower-cased, each once, in
 * the order given. Anything that is not a string is left for the validation to refuse.
 */
const normalisedLabels = ({ value }: { value: unknown }) =>
  Array.isArray(value)
    ? [
        ...new Set(
          value.map((label: unknown) =>
            typeof label === 'string' ? label.trim().toLowerCase() : label,
          ),
        ),
      ]
    : value;

/** `PUT /api/conversations/:id/labels`: the whole set; an empty list clears it. */
export class SetLabelsDto {
  @ApiProperty({
    type: [String],
    maxItems: MAX_LABELS,
    description: 'Words of 1–40 letters, digits, - or _; stored trimmed, lower case, each once',
    example: ['storing', 'factuur'],
  })
  @Transform(normalisedLabels)
  @IsArray()
  @ArrayMaxSize(MAX_LABELS)
  @Matches(LABEL_PATTERN, {
    each: true,
    message: 'each label must be one word of letters, digits, - or _ (at most 40 characters)',
  })
  labels!: string[];
}

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/** `POST /api/conversations/:id/notes`: stored trimmed. */
export class CreateNoteDto {
  @ApiProperty({ maxLength: REPLY_TEXT_MAX_LENGTH, example: '@AB kun jij dit overnemen?' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty({ message: 'text must not be blank' })
  @MaxLength(REPLY_TEXT_MAX_LENGTH)
  // PostgreSQL stores no NUL character.
  @NotContains('\u0000', { message: 'text must not contain NUL characters' })
  text!: string;
}
