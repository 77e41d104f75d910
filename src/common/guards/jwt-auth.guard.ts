import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Response } from 'express';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator.js';

/**
 * Global guard (APP_GUARD): every route needs a valid access token unless
 * marked `@Public()`. A route without the decorator fails closed.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    // Authenticated responses are private to their caller: never cached by shared caches.
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    return (await super.canActivate(context)) as boolean;
  }
}
