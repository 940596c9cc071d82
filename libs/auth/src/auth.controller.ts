import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Public, RequirePermission, type Principal } from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import type { Request } from 'express';
import { AuthService } from './auth.service';
import { LoginDto, RefreshDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: '{ accessToken, refreshToken, user }' })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed sign-ins for the account or the address',
  })
  login(@Body() dto: LoginDto, @Req() request: Request) {
    return this.auth.login(dto.email.trim(), dto.password, {
      address: request.ip ?? 'unknown',
      userAgent: request.headers['user-agent'] ?? null,
    });
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: '{ accessToken, refreshToken }; the old refresh token is spent' })
  refresh(@Body() dto: RefreshDto) {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequirePermission(Permission.SelfManage)
  async logout(@CurrentPrincipal() principal: Principal) {
    await this.auth.logout(principal);
    return { ok: true };
  }
}
