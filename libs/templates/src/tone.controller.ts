import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission, type Principal } from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { ToneCheckDto, UpdateToneProfileDto } from './dto/tone.dto';
import { ToneCheckLimit } from './tone-check-limit';
import { ToneService } from './tone.service';

@ApiTags('tone')
@ApiBearerAuth()
@Controller('tone')
export class ToneController {
  constructor(
    private readonly tone: ToneService,
    private readonly limit: ToneCheckLimit,
  ) {}

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
  @ApiTooManyRequestsResponse({
    description:
      '`rate_limited`: more than 10 checks a second (a burst of 30) by this user; the `Retry-After` header and `details.retryAfterSeconds` say when to try again',
  })
  async check(@Body() dto: ToneCheckDto, @CurrentPrincipal() principal: Principal) {
    await this.limit.admit(principal);
    return this.tone.check(principal, dto);
  }
}
