import { Body, Controller, Get, HttpCode, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission, type Principal } from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { AvailabilityDto, ChangePasswordDto } from './dto/user.dto';
import { UserView } from './dto/user.view';
import { MeService } from './me.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  @RequirePermission(Permission.SelfManage)
  @ApiOkResponse({ type: UserView })
  get(@CurrentPrincipal() principal: Principal) {
    return this.me.me(principal);
  }

  @Put('password')
  @HttpCode(200)
  @RequirePermission(Permission.SelfManage)
  @ApiOkResponse({ description: 'Changed; every other session of the user is ended' })
  async changePassword(
    @Body() dto: ChangePasswordDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ) {
    await this.me.changePassword(
      principal,
      dto.currentPassword,
      dto.newPassword,
      request.ip ?? 'unknown',
    );
    return { ok: true };
  }

  @Put('availability')
  @HttpCode(200)
  @RequirePermission(Permission.SelfManage)
  @ApiOkResponse({ type: UserView })
  setAvailability(@Body() dto: AvailabilityDto, @CurrentPrincipal() principal: Principal) {
    return this.me.setAvailability(principal, dto.available);
  }
}
