import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import { Body } from '../common/decorators/body.decorator.js';
import { ChecksBeforeBody } from '../common/decorators/checks-before-body.decorator.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { BodyValidationOutranked } from '../common/interceptors/body-validation-outranked.interceptor.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { CreateWebhookDto } from './dto/create-webhook.dto.js';
import { ListDeliveriesQuery } from './dto/list-deliveries.query.js';
import { UpdateWebhookDto } from './dto/update-webhook.dto.js';
import {
  DeliveryPageEnvelopeDto,
  WebhookEnvelopeDto,
  WebhookListEnvelopeDto,
  WebhookWithSecretEnvelopeDto,
} from './dto/webhook-response.dto.js';
import { WebhookPrecondition } from './webhook-precondition.js';
import { WebhooksService } from './webhooks.service.js';

/** A path id that is not a UUID is a 400 naming the parameter. */
const uuidParam = (name: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => ValidationProblemException.of(name, 'must be a UUID') });

/**
 * `/api/lists/{listId}/webhooks`: the list's endpoints and their delivery
 * logs, for its admins and owner. A non-member gets 404, a lower role 403
 * `insufficient-role`.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@ChecksBeforeBody(WebhookPrecondition)
@UseInterceptors(BodyValidationOutranked)
@Controller('lists/:listId/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Add an endpoint (admin+); its signing secret is shown this once' })
  @ApiProblems(400, 401, 403, 404, 409, 413, 415)
  async create(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Body() dto: CreateWebhookDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WebhookWithSecretEnvelopeDto> {
    const webhook = await this.webhooks.create(caller.id, listId, dto);
    response.location(`${request.originalUrl.split('?')[0].replace(/\/$/, '')}/${webhook.id}`);
    return { data: webhook };
  }

  @Get()
  @ApiOperation({ summary: 'The list’s endpoints, oldest first (admin+)' })
  @ApiProblems(400, 401, 403, 404)
  async list(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
  ): Promise<WebhookListEnvelopeDto> {
    return { data: await this.webhooks.list(caller.id, listId) };
  }

  @Get(':webhookId')
  @ApiOperation({ summary: 'One endpoint (admin+)' })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Param('webhookId', uuidParam('webhookId')) id: string,
  ): Promise<WebhookEnvelopeDto> {
    return { data: await this.webhooks.get(caller.id, listId, id) };
  }

  @Patch(':webhookId')
  @ApiOperation({ summary: 'Change an endpoint’s URL, events or description, or turn it off and on (admin+)' })
  @ApiProblems(400, 401, 403, 404, 413, 415)
  async update(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Param('webhookId', uuidParam('webhookId')) id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookEnvelopeDto> {
    return { data: await this.webhooks.update(caller.id, listId, id, dto) };
  }

  @Delete(':webhookId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an endpoint and its delivery log (admin+)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 401, 403, 404)
  async remove(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Param('webhookId', uuidParam('webhookId')) id: string,
  ): Promise<void> {
    await this.webhooks.remove(caller.id, listId, id);
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A new signing secret, shown this once; the old one signs beside it for 24 h (admin+)' })
  @ApiProblems(400, 401, 403, 404)
  async rotate(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Param('webhookId', uuidParam('webhookId')) id: string,
  ): Promise<WebhookWithSecretEnvelopeDto> {
    return { data: await this.webhooks.rotate(caller.id, listId, id) };
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({ summary: 'The endpoint’s deliveries, newest first, keyset-paginated (admin+)' })
  @ApiProblems(400, 401, 403, 404)
  async deliveries(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Param('webhookId', uuidParam('webhookId')) id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<DeliveryPageEnvelopeDto> {
    const page = await this.webhooks.deliveries(caller.id, listId, id, query.limit, query.cursor);
    return { data: page.deliveries, meta: { total: page.total, limit: query.limit, nextCursor: page.nextCursor } };
  }

  @Post(':webhookId/deliveries/:deliveryId/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Attempt a delivery again now (admin+)' })
  @ApiAcceptedResponse({ description: 'Queued: due now' })
  @ApiProblems(400, 401, 403, 404)
  async retry(
    @CurrentUser() caller: AuthUser,
    @Param('listId', uuidParam('listId')) listId: string,
    @Param('webhookId', uuidParam('webhookId')) id: string,
    @Param('deliveryId', uuidParam('deliveryId')) deliveryId: string,
  ): Promise<void> {
    await this.webhooks.retry(caller.id, listId, id, deliveryId);
  }
}
