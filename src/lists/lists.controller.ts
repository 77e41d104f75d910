import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { Body } from '../common/decorators/body.decorator.js';
import { ChecksBeforeBody } from '../common/decorators/checks-before-body.decorator.js';
import { requestPathOf } from '../common/http/request-path.js';
import { BodyValidationOutranked } from '../common/interceptors/body-validation-outranked.interceptor.js';
import { etagOf } from '../common/http/etag.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { ApiResponseHeaders } from '../common/openapi/api-response-headers.decorator.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { ParseUUIDPipe } from '@nestjs/common';
import { CreateInvitationDto } from './dto/create-invitation.dto.js';
import { CreateListDto } from './dto/create-list.dto.js';
import { ListListsQuery } from './dto/list-lists.query.js';
import {
  CreatedInvitationEnvelopeDto,
  InvitationEnvelopeDto,
  InvitationListEnvelopeDto,
  type InvitationResponseDto,
  ListEnvelopeDto,
  ListPageEnvelopeDto,
  type ListResponseDto,
  MemberEnvelopeDto,
  MemberListEnvelopeDto,
} from './dto/list-response.dto.js';
import { TransferListDto } from './dto/transfer-list.dto.js';
import { UpdateListDto } from './dto/update-list.dto.js';
import { UpdateMemberDto } from './dto/update-member.dto.js';
import { ApiInsufficientRole } from './api-insufficient-role.decorator.js';
import { ListPrecondition, NeedsListRole } from './list-precondition.js';
import type { InvitationRow, ListRow } from './lists.repository.js';
import { ListsService } from './lists.service.js';

/** A path id that is not a UUID is a 400 naming the parameter. */
const uuidParam = (name: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => ValidationProblemException.of(name, 'must be a UUID') });

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'Change only if the list’s ETag matches (`*`: any)',
};

/**
 * `/api/lists`: the caller's lists, their members and invitations. Under `/api/lists/{listId}` a
 * non-member gets 404 and a member whose role is too low 403 `insufficient-role`.
 */
@ApiTags('lists')
@ApiBearerAuth()
@ChecksBeforeBody(ListPrecondition)
@UseInterceptors(BodyValidationOutranked)
@Controller('lists')
export class ListsController {
  constructor(private readonly listsService: ListsService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s lists, oldest first, keyset-paginated' })
  @ApiProblems(400, 401)
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListListsQuery): Promise<ListPageEnvelopeDto> {
    const { lists, total, nextCursor } = await this.listsService.page(caller.id, query.limit, query.cursor);
    return { data: lists.map(toList), meta: { total, limit: query.limit, nextCursor } };
  }

  @Post()
  @ApiOperation({ summary: 'Create a list; the caller owns it' })
  @ApiResponseHeaders('ETag')
  @ApiProblems(400, 401, 409, 413, 415)
  async create(
    @CurrentUser() caller: AuthUser,
    @Body() dto: CreateListDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ListEnvelopeDto> {
    const list = await this.listsService.create(caller.id, dto.name, dto.color ?? null);
    response.location(`${locationBase(request)}/${list.id}`);
    return withEtag(response, list);
  }

  @Get(':listId')
  @ApiOperation({ summary: 'Get a list (members)' })
  @ApiResponseHeaders('ETag')
  @ApiProblems(400, 401, 404)
  async get(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ListEnvelopeDto> {
    return withEtag(response, await this.listsService.findOrFail(listId, caller.id));
  }

  @Patch(':listId')
  @NeedsListRole('admin')
  @ApiOperation({ summary: 'Rename or recolour a list (admin+)' })
  @ApiHeader(IF_MATCH)
  @ApiResponseHeaders('ETag')
  @ApiProblems(400, 401, 404, 412, 413, 415)
  @ApiInsufficientRole()
  async update(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Body() dto: UpdateListDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ListEnvelopeDto> {
    if (dto.name === undefined && dto.color === undefined) {
      throw ValidationProblemException.of('body', 'must contain at least one writable field');
    }
    return withEtag(response, await this.listsService.update(listId, caller.id, dto, ifMatch));
  }

  @Delete(':listId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @NeedsListRole('owner')
  @ApiOperation({ summary: 'Delete a list with its tasks and invitations (owner)' })
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 401, 404, 409, 412)
  @ApiInsufficientRole()
  async remove(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.listsService.remove(listId, caller.id, ifMatch);
  }

  @Post(':listId/transfer')
  @HttpCode(HttpStatus.OK)
  @NeedsListRole('owner')
  @ApiOperation({ summary: 'Make another member the owner; the caller stays as admin' })
  @ApiProblems(400, 401, 404, 409, 413, 415)
  @ApiInsufficientRole()
  async transfer(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Body() dto: TransferListDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ListEnvelopeDto> {
    return withEtag(response, await this.listsService.transfer(listId, caller.id, dto.userId));
  }

  @Get(':listId/members')
  @ApiOperation({ summary: 'The members of a list, earliest first' })
  @ApiProblems(400, 401, 404)
  async members(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
  ): Promise<MemberListEnvelopeDto> {
    return { data: await this.listsService.members(listId, caller.id) };
  }

  @Patch(':listId/members/:userId')
  @NeedsListRole('admin')
  @ApiOperation({
    summary: 'Change a member’s role (admin+; only the owner grants or revokes admin)',
  })
  @ApiProblems(400, 401, 404, 409, 413, 415)
  @ApiInsufficientRole()
  async setRole(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Param('userId', uuidParam('userId')) memberId: string,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberEnvelopeDto> {
    return { data: await this.listsService.setRole(listId, caller.id, memberId, dto.role) };
  }

  @Delete(':listId/members/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @NeedsListRole('admin')
  @ApiOperation({
    summary: 'Remove a member of a lower role (admin+), or leave (anyone but the owner)',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 401, 404, 409)
  @ApiInsufficientRole()
  async removeMember(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Param('userId', uuidParam('userId')) memberId: string,
  ): Promise<void> {
    await this.listsService.removeMember(listId, caller.id, memberId);
  }

  @Post(':listId/invitations')
  @NeedsListRole('admin')
  @ApiOperation({
    summary: 'Invite by link (admin+; an admin invitation needs the owner); the token is shown this once',
  })
  @ApiProblems(400, 401, 404, 409, 413, 415)
  @ApiInsufficientRole()
  async createInvitation(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Body() dto: CreateInvitationDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreatedInvitationEnvelopeDto> {
    const { token, ...invitation } = await this.listsService.createInvitation(listId, caller.id, dto);
    response.location(`${locationBase(request)}/${invitation.id}`);
    return { data: { ...toInvitation(invitation), token } };
  }

  @Get(':listId/invitations')
  @ApiOperation({
    summary: 'The list’s invitations not revoked, newest first (admin+)',
  })
  @ApiProblems(400, 401, 404)
  @ApiInsufficientRole()
  async invitations(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
  ): Promise<InvitationListEnvelopeDto> {
    return { data: (await this.listsService.invitations(listId, caller.id)).map(toInvitation) };
  }

  @Get(':listId/invitations/:invitationId')
  @ApiOperation({ summary: 'An invitation, without its token (admin+)' })
  @ApiProblems(400, 401, 404)
  @ApiInsufficientRole()
  async invitation(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Param('invitationId', uuidParam('invitationId')) invitationId: string,
  ): Promise<InvitationEnvelopeDto> {
    return { data: toInvitation(await this.listsService.invitation(listId, caller.id, invitationId)) };
  }

  @Delete(':listId/invitations/:invitationId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @NeedsListRole('admin')
  @ApiOperation({ summary: 'Revoke an invitation (admin+)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems(400, 401, 404)
  @ApiInsufficientRole()
  async revokeInvitation(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Param('invitationId', uuidParam('invitationId')) invitationId: string,
  ): Promise<void> {
    await this.listsService.revokeInvitation(listId, caller.id, invitationId);
  }
}

/** The request's path (never a host an absolute-form target named; `//` collapsed), without a trailing slash. */
function locationBase(request: Request): string {
  return requestPathOf(request.originalUrl).replace(/^\/+/, '/').replace(/\/+$/, '');
}

function withEtag(response: Response, list: ListRow): ListEnvelopeDto {
  response.setHeader('ETag', etagOf(list.version));
  return { data: toList(list) };
}

export function toList(list: ListRow): ListResponseDto {
  return {
    id: list.id,
    name: list.name,
    color: list.color,
    isDefault: list.isDefault,
    ownerId: list.ownerId,
    role: list.role,
    memberCount: list.memberCount,
    version: list.version,
    createdAt: list.createdAt,
    updatedAt: list.updatedAt,
  };
}

function toInvitation(invitation: InvitationRow): InvitationResponseDto {
  return {
    id: invitation.id,
    role: invitation.role,
    expiresAt: invitation.expiresAt,
    maxUses: invitation.maxUses,
    uses: invitation.uses,
    createdBy: invitation.createdBy,
    createdAt: invitation.createdAt,
  };
}
