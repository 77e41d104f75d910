import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import { AcceptsTicket } from '../common/decorators/accepts-ticket.decorator.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { EventStreams } from './event-streams.js';

/** `GET /api/events`: the change feed pushed as server-sent events. */
@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly streams: EventStreams) {}

  @Get()
  @AcceptsTicket()
  @ApiOperation({
    summary: 'A stream of the caller’s changes (server-sent events)',
    description:
      'Sends `event: changes` with `id:` a feed cursor and `data:` an array of changes (as `GET /api/changes` returns them), or `{ "pull": true }` when there are too many: then read `GET /api/changes?cursor=<id>`. A comment every 25 s keeps the connection open. Resumes after `Last-Event-ID`; without it, starts at now. Ends when the session is revoked.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiQuery({
    name: 'ticket',
    required: false,
    description: 'From `POST /api/events/tickets`, instead of the Authorization header',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The `id` of the last event received' })
  @ApiProblems(400, 401, 410, 429, 503)
  async stream(@CurrentUser() caller: AuthUser, @Req() request: Request, @Res() response: Response): Promise<void> {
    const lastEventId = request.header('last-event-id');
    await this.streams.start(caller, request, response, lastEventId === '' ? undefined : lastEventId);
  }
}
