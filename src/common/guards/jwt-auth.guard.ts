import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth-user.js';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator.js';
import { SessionCheck } from './session-check.js';
import { VerifiedTokens } from './verified-tokens.js';

/**
 * Global guard (APP_GUARD): every route needs a valid access token unless
 * marked `@Public()`. A route without the decorator fails closed.
 *
 * A token is verified by the passport `jwt` strategy the first time it is
 * seen; afterwards it is looked up in `VerifiedTokens`, and only its session
 * is checked again, as the strategy itself would.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly verifiedTokens = new VerifiedTokens();

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionCheck,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const http = context.switchToHttp();
    // Authenticated responses are private to their caller: never cached by shared caches.
    http.getResponse<Response>().setHeader('Cache-Control', 'no-store');

    const request = http.getRequest<Request & { user?: AuthUser }>();
    const authorization = request.headers.authorization;
    const known = authorization === undefined ? undefined : this.verifiedTokens.get(authorization);
    if (known !== undefined && (await this.sessions.isActive(known.sessionId, known.id))) {
      request.user = known;
      return true;
    }
    // Unknown, expired or ended: the strategy decides, with its own 401 on failure.
    await super.canActivate(context);
    if (authorization !== undefined && request.user !== undefined) {
      this.verifiedTokens.remember(authorization, request.user);
    }
    return true;
  }
}
