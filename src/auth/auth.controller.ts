import { Controller, Get, Header, HttpCode, HttpStatus, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Body } from '../common/decorators/body.decorator.js';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { Public } from '../common/decorators/public.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { AuthService } from './auth.service.js';
import { AuthEnvelopeDto, SessionEnvelopeDto } from './dto/auth-response.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { AccountLimitInterceptor } from './account-limit.interceptor.js';
import { loginFailuresPerAccount, loginFailuresPerAccountAndClient } from './rate-limits.js';
import { RefreshTokenDto } from './dto/refresh-token.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { TokensEnvelopeDto } from './dto/tokens-response.dto.js';

/** Responses that carry tokens are public routes, so the guard's no-store does not reach them (RFC 6749 §5.1). */
const NO_STORE = ['Cache-Control', 'no-store'] as const;

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly authService: AuthService) {}

  @Public()
  @Post('register')
  @Header(...NO_STORE)
  @ApiOperation({ summary: 'Create an account and log in' })
  @ApiProblems(400, 409, 413, 415, 429)
  async register(@Body() dto: RegisterDto, @Res({ passthrough: true }) response: Response): Promise<AuthEnvelopeDto> {
    const data = await this.authService.register(dto);
    response.location('/api/users/me');
    return { data };
  }

  @Public()
  @Post('login')
  @UseInterceptors(
    AccountLimitInterceptor('login-failures', (config, store) =>
      loginFailuresPerAccountAndClient(config.rateLimitLoginFailuresPerMinute, store),
    ),
    AccountLimitInterceptor('login-failures-per-account', (config, store) =>
      loginFailuresPerAccount(config.rateLimitLoginFailuresPerHour, store),
    ),
  )
  @HttpCode(HttpStatus.OK)
  @Header(...NO_STORE)
  @ApiOperation({ summary: 'Log in with email and password' })
  @ApiProblems(400, 401, 413, 415, 429)
  async login(@Body() dto: LoginDto): Promise<AuthEnvelopeDto> {
    return { data: await this.authService.login(dto) };
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @Header(...NO_STORE)
  @ApiOperation({
    summary: 'Spend a refresh token for a new token pair',
    description:
      'The presented token is spent. Presenting a spent token again (a replay, or two concurrent refreshes) is a 401 and ends that login’s session.',
  })
  @ApiProblems(400, 401, 413, 415, 429)
  async refresh(@Body() dto: RefreshTokenDto): Promise<TokensEnvelopeDto> {
    return { data: { tokens: await this.authService.refresh(dto.refreshToken) } };
  }

  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End the session of a refresh token',
    description:
      'Its refresh and access tokens stop working at once; other logins stay. An unknown or already revoked token is also a 204 (RFC 7009 §2.2). Requests are rate-limited per client IP like login.',
  })
  @ApiNoContentResponse({ description: 'The session is ended' })
  @ApiProblems(400, 413, 415, 429)
  async logout(@Body() dto: RefreshTokenDto): Promise<void> {
    await this.authService.logout(dto.refreshToken);
  }

  @Get('session')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the access token belongs to, and when it expires' })
  @ApiProblems(401)
  async session(@CurrentUser() caller: AuthUser): Promise<SessionEnvelopeDto> {
    return { data: await this.authService.session(caller) };
  }
}
