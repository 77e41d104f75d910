import { type ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import { ACCEPTS_TICKET_KEY } from '../common/decorators/accepts-ticket.decorator.js';
import { IS_PUBLIC_KEY } from '../common/decorators/public.decorator.js';
import { InvalidTokenException } from '../common/problems/invalid-token.exception.js';
import { accessTokenProblem, SESSION_ENDED } from './access-token-problems.js';
import { ActiveSessions } from './active-sessions.service.js';
import { EventTickets } from './event-tickets.js';
import { ActiveIdentities } from './external/active-identities.service.js';
import { VerifiedTokens } from './verified-tokens.js';

/**
 * The passport strategies that can verify an access token, tried in order
 * until one accepts it: ours (HS256, jwt.strategy.ts), then an identity
 * provider's (external/external.strategy.ts). Callers of both go through the
 * same cache and an equivalent liveness check.
 */
export const ACCESS_TOKEN_STRATEGIES = ['jwt', 'external'];

/**
 * Global guard (APP_GUARD): every route needs a valid access token unless
 * marked `@Public()`. A route without the decorator fails closed.
 *
 * One path for every token: a token seen before is recognised from
 * `VerifiedTokens`; an unknown one is verified by the passport strategies
 * (header, signature, `iss`, `aud`, `exp`) and remembered; either way its
 * session (`ActiveSessions`) or, for an identity provider's token, its
 * identity (`ActiveIdentities`) is then checked, so a revoked session or a
 * deleted account ends access at once, cached token or not.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(ACCESS_TOKEN_STRATEGIES) {
  private readonly verifiedTokens = new VerifiedTokens();

  constructor(
    private readonly reflector: Reflector,
    private readonly activeSessions: ActiveSessions,
    private readonly activeIdentities: ActiveIdentities,
    private readonly tickets: EventTickets,
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
      (authorization === undefined
        ? await this.ticketHolder(context, request)
        : this.verifiedTokens.get(authorization)) ?? (await this.verify(context, request));
    if (!(await this.isAlive(caller))) {
      throw new InvalidTokenException(SESSION_ENDED);
    }
    request.user = caller;
    return true;
  }

  /**
   * A route marked `@AcceptsTicket()` takes `?ticket=` when there is no header: the ticket is spent
   * here, and a spent, expired or unknown one is a 401 like a bad token.
   */
  private async ticketHolder(context: ExecutionContext, request: Request): Promise<AuthUser | undefined> {
    if (!this.reflector.get<boolean>(ACCEPTS_TICKET_KEY, context.getHandler())) return undefined;
    const ticket = request.query.ticket;
    if (ticket === undefined) return undefined;
    const caller = typeof ticket === 'string' ? await this.tickets.redeem(ticket) : undefined;
    if (caller === undefined) throw new InvalidTokenException('The ticket is unknown, expired or already used');
    return caller;
  }

  /** Our token's session is alive, or an identity provider's token's identity is still linked. */
  private isAlive(caller: AuthUser): Promise<boolean> {
    return caller.identity === undefined
      ? this.activeSessions.isActive(caller.sessionId as string, caller.id)
      : this.activeIdentities.isActive(caller.identity.id, caller.id);
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
    // Not a verdict on the token (the database failed while provisioning): the filter answers it, 503 included.
    if (error instanceof Error && !(error instanceof HttpException)) throw error;
    const request = context.switchToHttp().getRequest<Request>();
    throw accessTokenProblem(error ?? info, request.headers.authorization);
  }
}
