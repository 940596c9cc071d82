import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission, type Principal } from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { AuditLogQuery } from './audit-log.query';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditLogQuery) {}

  @Get()
  @RequirePermission(Permission.AuditRead)
  @ApiOkResponse({
    description:
      'Collection of { id, at, actorId, action, subjectType, subjectId, before, after, reason }, newest first',
  })
  list(@Query() query: AuditQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.audit.list(principal, query);
  }
}
