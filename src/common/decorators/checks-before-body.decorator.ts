import { SetMetadata, type Type } from '@nestjs/common';
import type { Request } from 'express';

export const CHECKS_BEFORE_BODY_KEY = 'checksBeforeBody';

/**
 * A route's own checks that the contract ranks after its guards and before
 * its body (shared/API.md, "Order of checks": existence, then `If-Match`):
 * resolves when they pass, throws their problem otherwise. It runs only when
 * the body is rejected, so a valid request pays nothing.
 */
export interface BeforeBodyCheck {
  check(request: Request): Promise<void>;
}

/** Names the provider whose check outranks the body's problems on these routes (handler or controller). */
export const ChecksBeforeBody = (check: Type<BeforeBodyCheck>): MethodDecorator & ClassDecorator =>
  SetMetadata(CHECKS_BEFORE_BODY_KEY, check);
