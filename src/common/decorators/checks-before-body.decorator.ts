import { type ExecutionContext, SetMetadata, type Type } from '@nestjs/common';
import type { Request } from 'express';

export const CHECKS_BEFORE_BODY_KEY = 'checksBeforeBody';

/**
 * A route's own check that the contract ranks before its body
 * (docs/API.md, "Order of checks": malformed path values, `403`, then
 * existence, then `If-Match`): resolves when it passes, throws its problem
 * otherwise. It runs only when the body is rejected, so a valid request pays
 * nothing.
 */
export interface BeforeBodyCheck {
  /** `context` names the route, for a check that reads the handler's metadata (as the platform does). */
  check(request: Request, context: ExecutionContext): Promise<void>;
}

/**
 * Names the providers whose checks outrank the body's problems on these
 * routes (handler or controller; a handler's list replaces its controller's),
 * in the order they run: a route's guard that can refuse (`403`, a malformed
 * path value) comes first, as it does for a valid body.
 */
export const ChecksBeforeBody = (...checks: Type<BeforeBodyCheck>[]): MethodDecorator & ClassDecorator =>
  SetMetadata(CHECKS_BEFORE_BODY_KEY, checks);
