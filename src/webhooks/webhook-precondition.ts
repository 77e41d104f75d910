import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import type { BeforeBodyCheck } from '../common/decorators/checks-before-body.decorator.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { ListAccess } from '../lists/list-access.js';

/**
 * What outranks a rejected body under `/api/lists/{listId}/webhooks`: a path
 * value that is no UUID (400), not a member (404), below admin (403).
 */
@Injectable()
export class WebhookPrecondition implements BeforeBodyCheck {
  constructor(private readonly listAccess: ListAccess) {}

  async check(request: Request): Promise<void> {
    const params = request.params as Record<string, string | undefined>;
    const malformed = Object.entries(params).filter(([, value]) => value !== undefined && !isUUID(value));
    if (malformed.length > 0) {
      throw new ValidationProblemException(malformed.map(([field]) => ({ field, message: 'must be a UUID' })));
    }
    if (params.listId === undefined) return;
    const { user } = request as Request & { user: AuthUser };
    await this.listAccess.require(user.id, params.listId, 'admin');
  }
}
