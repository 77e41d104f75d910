import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { ChangesService } from './changes.service.js';
import { ChangePageDto } from './dto/change-response.dto.js';
import { ReadChangesQuery } from './dto/read-changes.query.js';

/** `GET /api/changes`: what changed in the caller's lists since their cursor. */
@ApiTags('changes')
@ApiBearerAuth()
@Controller('changes')
export class ChangesController {
  constructor(private readonly changes: ChangesService) {}

  @Get()
  @ApiOperation({
    summary: 'Changes since a cursor',
    description:
      'Without a cursor: everything the caller can see (lists, members, tasks) as upserts, then the changes. Every change committed after a cursor comes on a later page; duplicates are possible (keep the newer `version`).',
  })
  @ApiProblems(400, 401, 410)
  async read(@CurrentUser() caller: AuthUser, @Query() query: ReadChangesQuery): Promise<ChangePageDto> {
    const page = await this.changes.read(caller.id, query.cursor, query.limit);
    return { data: page.changes, meta: { cursor: page.cursor, hasMore: page.hasMore } };
  }
}
