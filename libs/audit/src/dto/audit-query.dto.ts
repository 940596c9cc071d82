import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@toonbank/platform';
import { AuditAction } from '@toonbank/shared';
import { IsIn, IsOptional, IsUUID } from 'class-validator';

/** `GET /api/audit?action=&actorId=&subjectId=&limit=&cursor=`. */
export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Object.values(AuditAction) })
  @IsOptional()
  @IsIn(Object.values(AuditAction))
  action?: AuditAction;

  @ApiPropertyOptional({ description: 'Who acted' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ description: 'What it was done to' })
  @IsOptional()
  @IsUUID()
  subjectId?: string;
}
