import { Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body } from '../common/decorators/body.decorator.js';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserEnvelopeDto, UserResponseDto } from './dto/user-response.dto.js';
import { UsersService } from './users.service.js';

/**
 * The caller's profile. The password and account deletion routes under
 * `/api/users/me` live in the auth module's AccountController: they must end
 * sessions, which auth owns, and users may not depend on auth.
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

  @Patch('me')
  @ApiOperation({ summary: 'Change the caller’s name or email' })
  @ApiProblems(400, 401, 409, 413, 415)
  async update(@CurrentUser() caller: AuthUser, @Body() dto: UpdateUserDto): Promise<UserEnvelopeDto> {
    if (dto.email === undefined && dto.name === undefined) {
      throw ValidationProblemException.of('body', 'must contain at least one writable field');
    }
    return { data: UserResponseDto.from(await this.usersService.update(caller.id, dto)) };
  }
}
