import { Body, Controller, Get, HttpCode, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission, type Principal } from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { UpdateOrganisationDto } from './dto/update-organisation.dto';
import { OrgService } from './org.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('org')
export class OrgController {
  constructor(private readonly org: OrgService) {}

  @Get()
  @RequirePermission(Permission.OrgRead)
  @ApiOkResponse({ description: 'The caller’s organisation' })
  get(@CurrentPrincipal() principal: Principal) {
    return this.org.get(principal);
  }

  @Patch()
  @HttpCode(200)
  @RequirePermission(Permission.OrgManage)
  @ApiOkResponse({ description: 'The updated organisation' })
  update(@Body() dto: UpdateOrganisationDto, @CurrentPrincipal() principal: Principal) {
    return this.org.update(principal, dto);
  }
}
