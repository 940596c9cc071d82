import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import type { Environment } from '@toonbank/platform';
import { UsersModule } from '@toonbank/users';
import { AccessTokens } from './access-tokens';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { PrincipalLoader } from './principal-loader';
import { RefreshCookie } from './refresh-cookie';
import { RefreshTokenSuccessors } from './refresh-tokens';

@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        secret: config.get('JWT_SECRET', { infer: true }),
        signOptions: {
          expiresIn: config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true }),
          algorithm: 'HS256',
        },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AccessTokens,
    PrincipalLoader,
    AuthService,
    RefreshCookie,
    {
      provide: RefreshTokenSuccessors,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new RefreshTokenSuccessors(config.get('JWT_SECRET', { infer: true }) as string),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AccessTokens, PrincipalLoader],
})
export class AuthModule {}
