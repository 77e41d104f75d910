import { Body, Controller, Get, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { Public } from '../common/decorators/public.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { AuthService } from './auth.service.js';
import { AuthEnvelopeDto, SessionEnvelopeDto } from './dto/auth-response.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly authService: AuthService) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account and log in' })
  @ApiHeader({ name: 'Location', description: 'The new account: /api/users/me', required: false })
  @ApiProblems(400, 409, 413, 415, 429)
  async register(@Body() dto: RegisterDto, @Res({ passthrough: true }) response: Response): Promise<AuthEnvelopeDto> {
    const data = await this.authService.register(dto);
    response.location('/api/users/me');
    return { data };
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in with email and password' })
  @ApiProblems(400, 401, 413, 415, 429)
  async login(@Body() dto: LoginDto): Promise<AuthEnvelopeDto> {
    return { data: await this.authService.login(dto) };
  }

  @Get('session')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the access token belongs to, and when it expires' })
  @ApiProblems(401)
  async session(@CurrentUser() caller: AuthUser): Promise<SessionEnvelopeDto> {
    return { data: await this.authService.session(caller) };
  }
}
