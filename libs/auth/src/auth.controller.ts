import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  ApiError,
  CurrentPrincipal,
  Public,
  RequirePermission,
  type Principal,
} from '@toonbank/platform';
import {
  Permission,
  REFRESH_COOKIE_NAME,
  REFRESH_COOKIE_PATH,
  REFRESH_TRANSPORT_COOKIE,
  REFRESH_TRANSPORT_HEADER,
  type AccessTokenResponse,
  type CookieLoginResponse,
  type LoginResponse,
  type TokenPair,
} from '@toonbank/shared';
import type { Request, Response } from 'express';
import { AuthService, type IssuedTokens } from './auth.service';
import { LoginDto, RefreshDto } from './dto/auth.dto';
import { RefreshCookie } from './refresh-cookie';

const TRANSPORT_HEADER_DOC = {
  name: REFRESH_TRANSPORT_HEADER,
  required: false,
  enum: [REFRESH_TRANSPORT_COOKIE],
  description:
    "The web app's form: the refresh token travels in the HttpOnly cookie " +
    `${REFRESH_COOKIE_NAME} (Path=${REFRESH_COOKIE_PATH}, SameSite=Strict), never in the body.`,
};
const SET_COOKIE_DOC = {
  'Set-Cookie': {
    description:
      `With ${REFRESH_TRANSPORT_HEADER}: ${REFRESH_TRANSPORT_COOKIE} only: ` +
      `${REFRESH_COOKIE_NAME}=<refresh token>; Path=${REFRESH_COOKIE_PATH}; HttpOnly; ` +
      'SameSite=Strict; Secure (outside development); Max-Age = what is left of the sign-in',
    schema: { type: 'string' },
  },
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiHeader(TRANSPORT_HEADER_DOC)
  @ApiOkResponse({
    description: `{ accessToken, refreshToken, user }; with ${REFRESH_TRANSPORT_HEADER}: cookie, { accessToken, user } and the cookie`,
    headers: SET_COOKIE_DOC,
  })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed sign-ins for the account or the address',
  })
  async login(
    @Body() dto: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LoginResponse | CookieLoginResponse> {
    const { user, ...tokens } = await this.auth.login(dto.email.trim(), dto.password, {
      address: request.ip ?? 'unknown',
      userAgent: request.headers['user-agent'] ?? null,
    });
    response.setHeader('Cache-Control', 'no-store');
    if (!this.cookie.requested(request)) return { ...pairOf(tokens), user };
    this.cookie.set(response, tokens.refreshToken, tokens.familyExpiresAt);
    return { accessToken: tokens.accessToken, user };
  }

  /**
   * The contract's form: `{ refreshToken }` in the body, the new pair in the body. The web
   * app's form: no body token, the cookie and `X-Refresh-Transport: cookie`; the new token
   * goes into the cookie only. A body token wins over a cookie. A cookie without the header
   * is never read (a cross-site form could send the cookie, but not the header): 401.
   */
  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiHeader(TRANSPORT_HEADER_DOC)
  @ApiOkResponse({
    description: `{ accessToken, refreshToken }; with ${REFRESH_TRANSPORT_HEADER}: cookie and no body token, { accessToken } and the rotated cookie. The old refresh token is spent; presented again within 30 seconds of its rotation it answers the same successor pair (a second tab), later it is 401 and revokes the family`,
    headers: SET_COOKIE_DOC,
  })
  @ApiUnauthorizedResponse({
    description: `The refresh token is unknown, spent (its family is revoked), expired, or came by cookie without ${REFRESH_TRANSPORT_HEADER}: cookie`,
  })
  async refresh(
    @Body() dto: RefreshDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenPair | AccessTokenResponse> {
    response.setHeader('Cache-Control', 'no-store');
    if (dto?.refreshToken !== undefined) return pairOf(await this.auth.refresh(dto.refreshToken));

    const fromCookie = this.cookie.read(request);
    if (!this.cookie.requested(request)) {
      if (fromCookie === undefined) {
        throw ApiError.validation('Invalid request: refreshToken.', {
          refreshToken: ['refreshToken must be a string'],
        });
      }
      throw ApiError.unauthenticated(
        `A refresh by cookie needs the header ${REFRESH_TRANSPORT_HEADER}: ${REFRESH_TRANSPORT_COOKIE}.`,
      );
    }
    if (fromCookie === undefined) throw ApiError.unauthenticated('No session to resume: sign in.');
    let tokens: IssuedTokens;
    try {
      tokens = await this.auth.refresh(fromCookie);
    } catch (error) {
      // A dead token (unknown, spent, expired) is of no further use to the browser.
      if (error instanceof ApiError && error.statusCode === 401) this.cookie.clear(response);
      throw error;
    }
    this.cookie.set(response, tokens.refreshToken, tokens.familyExpiresAt);
    return { accessToken: tokens.accessToken };
  }

  /** Revokes the session of the access token, and of the cookie's refresh token; clears the cookie. */
  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequirePermission(Permission.SelfManage)
  @ApiOkResponse({
    description: `{ ok: true }; the session is revoked and the ${REFRESH_COOKIE_NAME} cookie cleared`,
    headers: {
      'Set-Cookie': { description: `${REFRESH_COOKIE_NAME}=; expired`, schema: { type: 'string' } },
    },
  })
  async logout(
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.auth.logout(principal, this.cookie.read(request));
    this.cookie.clear(response);
    return { ok: true };
  }
}

const pairOf = ({ accessToken, refreshToken }: IssuedTokens): TokenPair => ({
  accessToken,
  refreshToken,
});
