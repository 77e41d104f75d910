import { Global, Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { authConfig } from '../config/auth.config.js';
import { jwtConfig } from '../config/jwt.config.js';
import { SqlModule } from '../database/sql.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountController } from './account.controller.js';
import { AccountService } from './account.service.js';
import { ActiveSessions } from './active-sessions.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { EventTickets } from './event-tickets.js';
import { EventTicketsController } from './event-tickets.controller.js';
import { ActiveIdentities } from './external/active-identities.service.js';
import { ExternalTokenVerifier } from './external/external-token-verifier.js';
import { ExternalStrategy } from './external/external.strategy.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtStrategy } from './jwt.strategy.js';
import { SessionLiveness } from '../common/session-liveness.js';
import { CallerLiveness } from './caller-liveness.js';
import { PasswordHasher } from './password-hasher.service.js';
import { perIpLimit } from './rate-limits.js';
import { RefreshToken } from './refresh-token.entity.js';
import { Session } from './session.entity.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { RedisConnections } from '../database/shared-state/redis-connections.js';
import { SharedStateModule } from '../database/shared-state/shared-state.module.js';
import { Revocations } from './shared-state/revocations.js';
import { rateLimitStore } from './shared-state/shared-rate-limit-store.js';
import { WriteLimitInterceptor } from './write-limit/write-limit.interceptor.js';

const post = (path: string) => ({ path, method: RequestMethod.POST });

/** Global only for `SessionLiveness`, which feature modules inject without importing auth. */
@Global()
@Module({
  imports: [
    UsersModule,
    PassportModule,
    TypeOrmModule.forFeature([Session, RefreshToken]),
    SqlModule,
    SharedStateModule,
    JwtModule.registerAsync({
      inject: [jwtConfig.KEY],
      useFactory: (config: ConfigType<typeof jwtConfig>) => ({
        secret: config.secret,
        signOptions: {
          algorithm: config.algorithm,
          expiresIn: config.accessTtlSeconds,
          issuer: config.issuer,
          audience: config.audience,
        },
        verifyOptions: {
          algorithms: [config.algorithm],
          issuer: config.issuer,
          audience: config.audience,
        },
      }),
    }),
  ],
  controllers: [AuthController, AccountController, EventTicketsController],
  providers: [
    AuthService,
    AccountService,
    SessionsService,
    SessionsRepository,
    ActiveSessions,
    ActiveIdentities,
    PasswordHasher,
    JwtStrategy,
    Revocations,
    ExternalTokenVerifier,
    ExternalStrategy,
    // Every route requires a token unless marked @Public(): the platform runs it first, as a global guard.
    JwtAuthGuard,
    EventTickets,
    // Long-lived responses (event streams) ask it whether their caller's session still holds.
    { provide: SessionLiveness, useClass: CallerLiveness },
    // Writes per account: keyed on the caller the guards found.
    { provide: APP_INTERCEPTOR, useClass: WriteLimitInterceptor },
  ],
  exports: [JwtAuthGuard, SessionLiveness],
})
export class AuthModule implements NestModule {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly redis: RedisConnections,
  ) {}

  /**
   * Per-IP limits run before anything else, the body included: a limited client gets its 429 whatever
   * it sends. Every public route has one (`/health/*` excepted: probes must always get an answer). The per-account limit needs the body, so it is an AccountLimitInterceptor on the route.
   */
  configure(consumer: MiddlewareConsumer): void {
    for (const path of ['auth/register', 'auth/login', 'auth/refresh', 'auth/logout', 'users/me/password']) {
      consumer
        .apply(perIpLimit(this.config.rateLimitAuthPerMinute, rateLimitStore(this.redis, `ip:${path}`)))
        .forRoutes(post(path));
    }
  }
}
