import { Body, Controller, Delete, HttpCode, HttpStatus, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { AccountService } from './account.service.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { TokensEnvelopeDto } from './dto/tokens-response.dto.js';
import { AccountLimitInterceptor } from './account-limit.interceptor.js';
import { passwordChangeFailuresPerAccount } from './rate-limits.js';

/**
 * `/api/users/me` routes that end sessions. They live in the auth module,
 * which owns sessions and may use UsersService; the users module may not
 * depend on auth (shared/STYLE.md), and a direct call is simpler than an
 * event with a single listener.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
export class AccountController {
  constructor(private readonly accountService: AccountService) {}

  @Post('password')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(AccountLimitInterceptor('password-change-failures', passwordChangeFailuresPerAccount))
  @ApiOperation({
    summary: 'Change the password; every session ends and the caller gets tokens for a new one',
    description:
      'Every session of the account is revoked (its refresh and access tokens stop working at once); the response ' +
      'carries the tokens of a new session, so the device that changed the password stays signed in. A wrong ' +
      '`currentPassword` is a 400 validation problem on that field, not a 401. Failed attempts are rate-limited ' +
      'per account like failed logins, and requests per client IP like login.',
  })
  @ApiProblems(400, 401, 413, 415, 429)
  async changePassword(@CurrentUser() caller: AuthUser, @Body() dto: ChangePasswordDto): Promise<TokensEnvelopeDto> {
    return {
      data: { tokens: await this.accountService.changePassword(caller.id, dto.currentPassword, dto.newPassword) },
    };
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete the account, its tasks and its sessions' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(401)
  async remove(@CurrentUser() caller: AuthUser): Promise<void> {
    await this.accountService.deleteAccount(caller.id);
  }
}
