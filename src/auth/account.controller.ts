import { Body, Controller, Delete, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { AccountService } from './account.service.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';

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
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Change the password; every session of the account ends' })
  @ApiNoContentResponse({ description: 'Changed; log in again with the new password' })
  @ApiProblems(400, 401, 413, 415)
  async changePassword(@CurrentUser() caller: AuthUser, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.accountService.changePassword(caller.id, dto.currentPassword, dto.newPassword);
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
