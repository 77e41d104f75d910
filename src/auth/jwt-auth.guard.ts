import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import { IS_PUBLIC_KEY } from '../common/decorators/public.decorator.js';
import { InvalidTokenException } from '../common/problems/invalid-token.exception.js';
import { accessTokenProblem, SESSION_ENDED } from './access-token-problems.js';
import { ActiveSessions } from './active-sessions.service.js';
import { VerifiedTokens } from './verified-tokens.js';

/**
 * The passport strategies that can verify an access token, tried in order
 * until one accepts it. Another kind of token (an external identity
 * provider's) is another strategy added here, beside ours: its callers go
 * through the same cache and the same session check.
 */
export const ACCESS_TOKEN_STRATEGIES = ['jwt'];

/**
 * Global guard (APP_GUARD): every route needs a valid access token unless
 * marked `@Public()`. A route without the decorator fails closed.
 *
 * One path for every token: a token seen before is recognised from
 * `VerifiedTokens`; an unknown one is verified by the passport strategies
 * (header, signature, `iss`, `aud`, `exp`) and remembered; either way its
 * session is then checked (`ActiveSessions`), so a revoked session ends
 * access at once, cached token or not.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(ACCESS_TOKEN_STRATEGIES) {
  private readonly verifiedTokens = new VerifiedTokens();

  constructor(
    private readonly reflector: Reflector,
    private readonly activeSessions: ActiveSessions,
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
    const caller =
      (authorization === undefined ? undefined : this.verifiedTokens.get(authorization)) ??
      (await this.verify(context, request));
    if (!(await this.activeSessions.isActive(caller.sessionId, caller.id))) {
      throw new InvalidTokenException(SESSION_ENDED);
    }
    request.user = caller;
    return true;
  }

  /** An unknown token, or one expired since: the strategies decide, and handleRequest words their refusal. */
  private async verify(context: ExecutionContext, request: Request & { user?: AuthUser }): Promise<AuthUser> {
    await super.canActivate(context);
    const caller = request.user as AuthUser;
    // Only reached with a header: without one, the strategies have refused.
    this.verifiedTokens.remember(request.headers.authorization ?? '', caller);
    return caller;
  }

  /** Passport's verdict: the caller, or a 401 that says why (missing, malformed, expired, invalid). */
  override handleRequest<TUser = AuthUser>(
    error: unknown,
    user: TUser | false,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (!error && user) return user;
    const request = context.switchToHttp().getRequest<Request>();
    throw accessTokenProblem(error ?? info, request.headers.authorization);
  }
}
