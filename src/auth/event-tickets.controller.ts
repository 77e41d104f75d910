import { Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { EventTickets } from './event-tickets.js';

class EventTicketDto {
  /** Pass as `GET /api/events?ticket=`; good once, within 60 s, on any instance. */
  @ApiProperty()
  ticket!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

class EventTicketEnvelopeDto {
  @ApiProperty({ type: EventTicketDto })
  data!: EventTicketDto;
}

/** `POST /api/events/tickets`: a single-use stand-in for the access token, for EventSource. */
@ApiTags('events')
@ApiBearerAuth()
@Controller('events/tickets')
export class EventTicketsController {
  constructor(private readonly tickets: EventTickets) {}

  @Post()
  @ApiOperation({
    summary: 'A ticket to open an event stream without the Authorization header',
    description:
      'Single use, valid 60 s, on any instance: `GET /api/events?ticket=…`. A second use is 401. The stream belongs to the session of the token that asked for the ticket.',
  })
  @ApiCreatedResponse({ type: EventTicketEnvelopeDto })
  @ApiProblems(401)
  async issue(@CurrentUser() caller: AuthUser): Promise<EventTicketEnvelopeDto> {
    return { data: await this.tickets.issue(caller) };
  }
}
