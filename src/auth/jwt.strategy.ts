import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { isUUID } from 'class-validator';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '../common/auth-user.js';
import { jwtConfig } from '../config/jwt.config.js';
import { InvalidTokenException } from '../common/problems/invalid-token.exception.js';
import type { AccessTokenClaims } from './access-token-claims.js';
import { TOKEN_INVALID } from './access-token-problems.js';
import { headerProblem } from './jwt-header.js';

type VerifiedClaims = Partial<AccessTokenClaims> & { exp?: unknown; iat?: unknown };

/**
 * Verifies access tokens (RFC 8725): the header first (our `alg` and `typ`
 * only), then the signature with the configured algorithm, `iss`, `aud`,
 * `exp` and `nbf` (a few seconds of clock skew), then our claims. It says who
 * the token is for; whether its session still lives is the guard's next step,
 * for every token alike, so forged tokens never reach the database.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(jwtConfig.KEY) config: ConfigType<typeof jwtConfig>) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: keyProvider(config),
      algorithms: [config.algorithm],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: config.clockToleranceSeconds },
    });
  }

  validate(claims: VerifiedClaims): AuthUser {
    const { sub, sid, exp, iat } = claims;
    // jsonwebtoken accepts a token without `exp`; we never issue one, so it is forged.
    if (typeof sub !== 'string' || !isUUID(sub) || typeof sid !== 'string' || !isUUID(sid)) throw invalid();
    if (typeof exp !== 'number' || typeof iat !== 'number') throw invalid();
    return { id: sub, sessionId: sid, expiresAt: exp };
  }
}

function invalid(): InvalidTokenException {
  return new InvalidTokenException(TOKEN_INVALID);
}

/**
 * The key is fixed; the provider is only the hook that sees the raw token
 * before verification, to refuse header tricks. It hands over a KeyObject, not
 * the string: given a string, jsonwebtoken first tries to parse it as a PEM
 * public key and catches the failure, on every request (14% of a list
 * request's CPU).
 */
function keyProvider(config: ConfigType<typeof jwtConfig>) {
  const key = createSecretKey(Buffer.from(config.secret)) as unknown as string;
  return (_request: unknown, rawToken: string, done: (error: Error | null, key?: string) => void) => {
    const problem = headerProblem(rawToken, config.algorithm, config.tokenType);
    if (problem) done(new Error(problem));
    else done(null, key);
  };
}
