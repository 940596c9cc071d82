import { ApiProperty } from '@nestjs/swagger';
import { COUNT_CAP, type ConversationCountsDto } from '@toonbank/shared';

const COUNT = {
  type: Number,
  minimum: 0,
  maximum: COUNT_CAP,
} as const;

/** `GET /api/conversations/counts` and the socket event `counts.updated` (OpenAPI). */
export class ConversationCountsView implements ConversationCountsDto {
  @ApiProperty({ ...COUNT, description: 'Status assigned, assigned to the caller (the Mine tab)' })
  mine!: number;

  @ApiProperty({ ...COUNT, description: 'Status unassigned (the Unassigned tab)' })
  unassigned!: number;

  @ApiProperty({
    ...COUNT,
    description: 'Status waiting: every one for team leads and admins, the caller’s own for others',
  })
  waiting!: number;

  @ApiProperty({ ...COUNT, description: 'Status closed (the Closed tab)' })
  closed!: number;

  @ApiProperty({ format: 'date-time', description: 'When the organisation’s inbox was counted' })
  computedAt!: string;
}
