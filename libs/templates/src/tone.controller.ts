import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission, type Principal } from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { ToneCheckDto, UpdateToneProfileDto } from './dto/tone.dto';
import { ToneService } from './tone.service';

@ApiTags('tone')
@ApiBearerAuth()
@Controller('tone')
export class ToneController {
  constructor(private readonly tone: ToneService) {}

  @Get('profile')
  @RequirePermission(Permission.ToneRead)
  @ApiOkResponse({
    description: 'The tone profile in force (the defaults until an admin saves one)',
  })
  profile(@CurrentPrincipal() principal: Principal) {
    return this.tone.profile(principal);
  }

  @Put('profile')
  @HttpCode(200)
  @RequirePermission(Permission.ToneManage)
  @ApiOkResponse({ description: 'The saved profile; 400 for a pattern RE2 cannot compile' })
  updateProfile(@Body() dto: UpdateToneProfileDto, @CurrentPrincipal() principal: Principal) {
    return this.tone.updateProfile(principal, dto);
  }

  @Post('check')
  @HttpCode(200)
  @RequirePermission(Permission.ToneCheck)
  @ApiOkResponse({ description: '{ ok, findings }: ok is false when any finding is an error' })
  check(@Body() dto: ToneCheckDto, @CurrentPrincipal() principal: Principal) {
    return this.tone.check(principal, dto);
  }
}
