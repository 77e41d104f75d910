import { beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { JwtService } from '@nestjs/jwt';
import passport from 'passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '../common/auth-user.js';
import { Public } from '../common/decorators/public.decorator.js';
import { InvalidTokenException } from '../common/problems/invalid-token.exception.js';
import type { authConfig } from '../config/auth.config.js';
import type { redisConfig } from '../config/redis.config.js';
import { SESSION_ENDED, TOKEN_EXPIRED, TOKEN_MISSING } from './access-token-problems.js';
import { ActiveSessions } from './active-sessions.service.js';
import type { ActiveIdentities } from './external/active-identities.service.js';
import { BearerTokenStrategy } from './external/bearer-token.strategy.js';
import { EventTickets } from './event-tickets.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import type { SessionsRepository } from './sessions.repository.js';
import { Broadcasts } from '../database/shared-state/broadcasts.js';
import { RedisConnections } from '../database/shared-state/redis-connections.js';
import { Revocations } from './shared-state/revocations.js';

@Controller()
class SampleController {
  @Public()
  @Get('open')
  open(): void {}

  @Get('closed')
  closed(): void {}
}

@Public()
@Controller()
class PublicController {
  @Get()
  anything(): void {}
}

const SECRET = 'a-test-secret-of-at-least-thirty-two-bytes';

/** The real session check, uncached, over sessions held in memory instead of the sessions table. */
class LiveSessions extends ActiveSessions {
  readonly live = new Set<string>();
  asked = 0;
  constructor() {
    super(
      {} as SessionsRepository,
      { sessionCacheSeconds: 0 } as ConfigType<typeof authConfig>,
      new Revocations(new Broadcasts(new RedisConnections({} as ConfigType<typeof redisConfig>))),
    );
  }
  protected override load(sessionId: string): Promise<boolean> {
    this.asked++;
    return Promise.resolve(this.live.has(sessionId));
  }
}

function contextFor(controller: new () => object, handler: string, authorization?: string) {
  const headers: Record<string, string> = {};
  const response = { setHeader: (name: string, value: string) => (headers[name] = value) };
  const request: { headers: Record<string, string>; user?: AuthUser } = {
    headers: authorization === undefined ? {} : { authorization },
  };
  const context = new ExecutionContextHost(
    [request, response, () => undefined],
    controller,
    (controller.prototype as Record<string, () => void>)[handler],
  );
  context.setType('http');
  return { context, headers, request };
}

describe(JwtAuthGuard.name, () => {
  let sessions: LiveSessions;
  let guard: JwtAuthGuard;
  let verifications: number;
  const tokens = new JwtService({ secret: SECRET, signOptions: { algorithm: 'HS256', expiresIn: 600 } });

  beforeEach(() => {
    sessions = new LiveSessions();
    verifications = 0;
    // The real strategy class, with a verify callback that, like ours, only reads the claims.
    passport.use(
      'jwt',
      new Strategy(
        { jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: SECRET, algorithms: ['HS256'] },
        (claims: { sub: string; sid: string; exp: number }, done: (error: null, user: AuthUser) => void) => {
          verifications++;
          done(null, { id: claims.sub, sessionId: claims.sid, expiresAt: claims.exp });
        },
      ),
    );
    // No identity provider configured: the external strategy takes no token (the guard tries it second).
    passport.use('external', new BearerTokenStrategy((_token, done) => done(null, false)));
    const noRedis = { url: undefined, keyPrefix: 'test:', timeoutMs: 500 } as ConfigType<typeof redisConfig>;
    guard = new JwtAuthGuard(
      new Reflector(),
      sessions,
      new LiveSessions() as unknown as ActiveIdentities,
      new EventTickets(new RedisConnections(noRedis)),
    );
  });

  const bearer = (sid: string) => `Bearer ${tokens.sign({ sub: 'user-1', sid })}`;

  it('lets a @Public() handler through without a token', async () => {
    await expect(guard.canActivate(contextFor(SampleController, 'open').context)).resolves.toBe(true);
  });

  it('lets every handler of a @Public() controller through', async () => {
    await expect(guard.canActivate(contextFor(PublicController, 'anything').context)).resolves.toBe(true);
  });

  it('fails closed on a route without the decorator, marking the response no-store', async () => {
    const { context, headers } = contextFor(SampleController, 'closed');
    await expect(guard.canActivate(context)).rejects.toThrow(new UnauthorizedException(TOKEN_MISSING));
    expect(headers['Cache-Control']).toBe('no-store');
  });

  it('says when a token has expired', async () => {
    sessions.live.add('session-1');
    const expired = tokens.sign({ sub: 'user-1', sid: 'session-1' }, { expiresIn: -60 });
    await expect(
      guard.canActivate(contextFor(SampleController, 'closed', `Bearer ${expired}`).context),
    ).rejects.toThrow(new InvalidTokenException(TOKEN_EXPIRED));
  });

  it('verifies a token once, then recognises it while its session lives', async () => {
    sessions.live.add('session-1');
    const authorization = bearer('session-1');
    const first = contextFor(SampleController, 'closed', authorization);
    const second = contextFor(SampleController, 'closed', authorization);

    await expect(guard.canActivate(first.context)).resolves.toBe(true);
    await expect(guard.canActivate(second.context)).resolves.toBe(true);

    expect(verifications).toBe(1);
    expect(sessions.asked).toBe(2);
    expect(second.request.user).toEqual(first.request.user);
    expect(second.request.user).toMatchObject({ id: 'user-1', sessionId: 'session-1' });
    expect(second.headers['Cache-Control']).toBe('no-store');
  });

  it('refuses a verified token once its session has ended, without verifying it again', async () => {
    sessions.live.add('session-1');
    const authorization = bearer('session-1');
    await guard.canActivate(contextFor(SampleController, 'closed', authorization).context);
    sessions.live.delete('session-1');

    await expect(guard.canActivate(contextFor(SampleController, 'closed', authorization).context)).rejects.toThrow(
      new InvalidTokenException(SESSION_ENDED),
    );
    expect(verifications).toBe(1);
  });

  it('refuses a newly seen token of an ended session the same way', async () => {
    await expect(
      guard.canActivate(contextFor(SampleController, 'closed', bearer('session-gone')).context),
    ).rejects.toThrow(new InvalidTokenException(SESSION_ENDED));
    expect(sessions.asked).toBe(1);
  });

  it('verifies an altered copy of a known token in full, and refuses it', async () => {
    sessions.live.add('session-1');
    const authorization = bearer('session-1');
    await guard.canActivate(contextFor(SampleController, 'closed', authorization).context);
    const last = authorization.at(-1) === 'A' ? 'B' : 'A';

    await expect(
      guard.canActivate(contextFor(SampleController, 'closed', authorization.slice(0, -1) + last).context),
    ).rejects.toThrow(UnauthorizedException);
  });
});
