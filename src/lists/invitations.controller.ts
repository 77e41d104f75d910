import { Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { Body } from '../common/decorators/body.decorator.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { AcceptInvitationDto } from './dto/accept-invitation.dto.js';
import type { ListEnvelopeDto } from './dto/list-response.dto.js';
import { toList } from './lists.controller.js';
import { ListsService } from './lists.service.js';

/** `/api/invitations`: accepting an invitation link. */
@ApiTags('lists')
@ApiBearerAuth()
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly listsService: ListsService) {}

  @Post('accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Join a list by an invitation’s token (a member keeps the higher of the two roles)',
  })
  @ApiProblems(400, 401, 404, 409, 413, 415)
  async accept(@CurrentUser() caller: AuthUser, @Body() dto: AcceptInvitationDto): Promise<ListEnvelopeDto> {
    return { data: toList(await this.listsService.accept(caller.id, dto.token)) };
  }
}
