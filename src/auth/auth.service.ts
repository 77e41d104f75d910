import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { AuthUser } from '../common/auth-user.js';
import { jwtConfig } from '../config/jwt.config.js';
import { UserResponseDto } from '../users/dto/user-response.dto.js';
import { UsersService } from '../users/users.service.js';
import type { AuthResultDto, SessionDto } from './dto/auth-response.dto.js';
import type { LoginDto } from './dto/login.dto.js';
import type { RegisterDto } from './dto/register.dto.js';
import type { TokensDto } from './dto/tokens.dto.js';
import type { AccessTokenClaims } from './access-token-claims.js';
import { PasswordHasher } from './password-hasher.service.js';
import { SessionsService, type StartedSession } from './sessions.service.js';

/** A user as UsersService returns one (auth reaches users only through its service). */
type StoredUser = Awaited<ReturnType<UsersService['create']>>;

/** One message for every failed login, so responses never reveal whether an email is registered. */
const BAD_CREDENTIALS = 'Invalid email or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    @Inject(jwtConfig.KEY) private readonly config: ConfigType<typeof jwtConfig>,
  ) {}

  async register(dto: RegisterDto): Promise<AuthResultDto> {
    const user = await this.users.create({
      email: dto.email,
      name: dto.name ?? null,
      passwordHash: await this.hasher.hash(dto.password),
    });
    return this.signIn(user);
  }

  async login(dto: LoginDto): Promise<AuthResultDto> {
    const user = await this.users.findByEmail(dto.email);
    // Always one argon2 verify (a dummy hash for unknown emails, and for accounts that sign in
    // with an identity provider and have no password): same time, same answer.
    const valid = await this.hasher.verify(user?.passwordHash ?? undefined, dto.password);
    if (!user || !valid) throw new UnauthorizedException(BAD_CREDENTIALS);
    return this.signIn(user);
  }

  /** Spends the refresh token for a new pair in the same session. */
  async refresh(refreshToken: string): Promise<TokensDto> {
    return this.tokensFor(await this.sessions.rotate(refreshToken));
  }

  logout(refreshToken: string): Promise<void> {
    return this.sessions.revokeByRefreshToken(refreshToken);
  }

  async session(caller: AuthUser): Promise<SessionDto> {
    const user = await this.users.findById(caller.id);
    if (!user) throw new UnauthorizedException('The account no longer exists');
    return { user: UserResponseDto.from(user), expiresAt: new Date(caller.expiresAt * 1000) };
  }

  /** A new session for the user, and its first token pair. */
  private async signIn(user: StoredUser): Promise<AuthResultDto> {
    return { user: UserResponseDto.from(user), tokens: await this.startSession(user.id, user.passwordHash) };
  }

  /**
   * A new session (a login without a password check: the caller has just proved who they are,
   * with the password whose hash is `passwordHash`; it fails if that is no longer the password).
   */
  async startSession(userId: string, passwordHash: string | null): Promise<TokensDto> {
    return this.tokensFor(await this.sessions.start(userId, passwordHash));
  }

  private async tokensFor({ userId, sessionId, refreshToken }: StartedSession): Promise<TokensDto> {
    const claims: AccessTokenClaims = { sub: userId, sid: sessionId };
    return {
      // Explicitly typed (RFC 9068 `at+jwt`), so no other JWT can pass for an access token.
      accessToken: await this.jwt.signAsync(claims, {
        header: { alg: this.config.algorithm, typ: this.config.tokenType },
      }),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.config.accessTtlSeconds,
    };
  }
}
