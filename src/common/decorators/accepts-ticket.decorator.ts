import { SetMetadata } from '@nestjs/common';

export const ACCEPTS_TICKET_KEY = 'acceptsTicket';

/**
 * The route also accepts `?ticket=` (a single-use ticket from `POST /api/events/tickets`) in place of
 * the `Authorization` header: for browsers' EventSource, which cannot send headers.
 */
export const AcceptsTicket = (): MethodDecorator => SetMetadata(ACCEPTS_TICKET_KEY, true);
