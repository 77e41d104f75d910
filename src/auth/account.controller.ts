import { Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Body } from '../common/decorators/body.decorator.js';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { IdentitiesService } from '../users/identities.service.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { AccountService } from './account.service.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { TokensEnvelopeDto } from './dto/tokens-response.dto.js';
import { AccountLimitInterceptor } from './account-limit.interceptor.js';
import { emailChangesPerAccount, passwordChangeFailuresPerAccount } from './rate-limits.js';
import { UpdateUserDto } from '../users/dto/update-user.dto.js';
import { UserEnvelopeDto, UserResponseDto } from '../users/dto/user-response.dto.js';
import { IdentityEnvelopeDto, IdentityListEnvelopeDto } from './dto/identity-response.dto.js';
import { LinkIdentityDto } from './dto/link-identity.dto.js';
import { ExternalTokenVerifier } from './external/external-token-verifier.js';

/**
 * `/api/users/me` routes that end sessions or need the password. They live in the auth module,
 * which owns sessions and may use UsersService; the users module may not
 * depend on auth (docs/CONTRIBUTING.md), and a direct call is simpler than an
 * event with a single listener.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
export class AccountController {
  constructor(
    private readonly accountService: AccountService,
    private readonly identities: IdentitiesService,
    private readonly verifier: ExternalTokenVerifier,
  ) {}

  /** Here rather than in the users module: an email change needs the password, which auth checks. */
  @Patch()
  @UseInterceptors(
    // Every attempt counts, a wrong password included: that bounds password guessing here too.
    AccountLimitInterceptor('email-changes', (config, store) =>
      emailChangesPerAccount(config.rateLimitEmailChangesPerMinute, store),
    ),
  )
  @ApiOperation({
    // The id it had in the users module: generated clients keep their method name.
    operationId: 'users_update',
    summary: 'Change the caller’s name or email',
    description:
      'Changing `email` needs `currentPassword` (400 without it, 400 on `currentPassword` when wrong; 409 for an ' +
      'account provisioned from an identity provider, which has no password, and 409 when the email is taken). ' +
      'Email changes are rate-limited per account, failed (a wrong password included) or not.',
  })
  @ApiProblems(400, 401, 409, 413, 415, 429)
  async update(@CurrentUser() caller: AuthUser, @Body() dto: UpdateUserDto): Promise<UserEnvelopeDto> {
    if (dto.email === undefined && dto.name === undefined) {
      throw ValidationProblemException.of('body', 'must contain at least one writable field');
    }
    return { data: UserResponseDto.from(await this.accountService.updateProfile(caller.id, dto)) };
  }

  @Post('password')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(
    AccountLimitInterceptor('password-change-failures', (config, store) =>
      passwordChangeFailuresPerAccount(config.rateLimitLoginFailuresPerMinute, store),
    ),
  )
  @ApiOperation({
    summary: 'Change the password; every session ends and the caller gets tokens for a new one',
    description:
      'Every session of the account is revoked (its refresh and access tokens stop working at once); the response ' +
      'carries the tokens of a new session, so the device that changed the password stays signed in. A wrong ' +
      '`currentPassword` is a 400 validation problem on that field, not a 401. Failed attempts are rate-limited ' +
      'per account like failed logins, and requests per client IP like login. An account provisioned from an ' +
      'identity provider has no password: 409 (its password is changed at the provider).',
  })
  @ApiProblems(400, 401, 409, 413, 415, 429)
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

  @Get('identities')
  @ApiOperation({ summary: 'List the identity providers’ identities linked to the account' })
  @ApiOkResponse({ type: IdentityListEnvelopeDto })
  @ApiProblems(401)
  async listIdentities(@CurrentUser() caller: AuthUser): Promise<IdentityListEnvelopeDto> {
    return { data: await this.identities.listOf(caller.id) };
  }

  /**
   * Links an identity explicitly (docs/IDENTITY-PROVIDERS.md): accounts are never linked by
   * email. The provider's access token is the proof; it must pass the same
   * verification as one used to call the API.
   */
  @Post('identities')
  @ApiOperation({
    summary: 'Link an identity provider’s identity to the account',
    description:
      'Send an access token of a trusted identity provider as proof. 201 when linked, 200 when it already was ' +
      'linked to this account, 409 when it is linked to another account. Afterwards that provider’s tokens act ' +
      'as this account.',
  })
  @ApiCreatedResponse({ type: IdentityEnvelopeDto, description: 'Linked' })
  @ApiOkResponse({ type: IdentityEnvelopeDto, description: 'Already linked to this account' })
  @ApiProblems(400, 401, 409, 413, 415)
  async linkIdentity(
    @CurrentUser() caller: AuthUser,
    @Body() dto: LinkIdentityDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IdentityEnvelopeDto> {
    const proof = await this.verifier.verify(dto.token).catch((error: Error) => {
      throw new ValidationProblemException([
        { field: 'token', message: `must be a valid access token of a trusted identity provider (${error.message})` },
      ]);
    });
    const { issuer, subject } = proof.identity;
    const { record, created } = await this.identities.link(caller.id, issuer, subject);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return { data: record };
  }
}
