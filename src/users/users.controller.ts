import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { UserEnvelopeDto, UserResponseDto } from './dto/user-response.dto.js';
import { UsersService } from './users.service.js';

/**
 * The caller's profile. The profile change, password and account deletion
 * routes under `/api/users/me` live in the auth module's AccountController:
 * they check the password or end sessions, which auth owns, and users may not
 * depend on auth.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'The caller’s account' })
  @ApiProblems(401)
  async me(@CurrentUser() caller: AuthUser): Promise<UserEnvelopeDto> {
    return { data: UserResponseDto.from(await this.usersService.findByIdOrFail(caller.id)) };
  }
}
