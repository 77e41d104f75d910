import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { InvalidTokenException } from '../../common/problems/invalid-token.exception.js';
import { identityProvidersConfig } from '../../config/identity-providers.config.js';
import type { TrustedIssuer } from '../../config/trusted-issuers.js';
import type { VerifiedIdentity } from '../../users/identities.service.js';
import { TOKEN_EXPIRED, TOKEN_INVALID } from '../access-token-problems.js';
import { RemoteKeySet } from './remote-key-set.js';
import { readUnverified, screenToken } from './token-screen.js';
import { hasHiddenCharacter, normalizeEmail } from '../../common/validation/email-address.js';

export interface ExternalTokenResult {
  identity: VerifiedIdentity;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** A longer name is cut (users.name holds 100 characters). */
const MAX_NAME_LENGTH = 100;
const MAX_EMAIL_LENGTH = 254;

/**
 * Verifies access tokens of the configured identity providers (RFC 8725;
 * Auth0's, Keycloak's and Clerk's resource-server checks). The issuer is
 * chosen by `iss` before any key is touched, and the header and claims are
 * screened first (token-screen.ts), so a token that cannot pass never causes
 * a JWKS request; then jose checks the signature with that issuer's keys and
 * algorithms, and `iss`, `aud`, `exp`, `nbf` again.
 */
@Injectable()
export class ExternalTokenVerifier {
  private readonly issuers: Map<string, { config: TrustedIssuer; keys: RemoteKeySet }>;
  private readonly clockTolerance: number;

  constructor(@Inject(identityProvidersConfig.KEY) config: ConfigType<typeof identityProvidersConfig>) {
    const timing = {
      timeoutMs: config.jwksTimeoutMs,
      refreshMs: config.jwksRefreshSeconds * 1000,
      cooldownMs: config.jwksCooldownSeconds * 1000,
      maxStaleMs: config.jwksMaxStaleSeconds * 1000,
    };
    this.issuers = new Map(
      config.issuers.map((issuer) => [
        issuer.issuer,
        { config: issuer, keys: new RemoteKeySet(issuer.jwksUri, timing) },
      ]),
    );
    this.clockTolerance = config.clockToleranceSeconds;
  }

  /** Whether any issuer is configured: without one, no token is external. */
  get enabled(): boolean {
    return this.issuers.size > 0;
  }

  /**
   * The issuer a token claims, when it is one of ours to verify; null for any
   * other token (ours, or an unknown `iss`), which this verifier leaves alone.
   */
  issuerOf(token: string): TrustedIssuer | null {
    const iss = readUnverified(token)?.payload.iss;
    return typeof iss === 'string' ? (this.issuers.get(iss)?.config ?? null) : null;
  }

  /** Verifies a token of a configured issuer; a 401 problem saying why otherwise. */
  async verify(token: string): Promise<ExternalTokenResult> {
    const issuer = this.issuerOf(token);
    const entry = issuer && this.issuers.get(issuer.issuer);
    if (!entry) throw new InvalidTokenException(TOKEN_INVALID);
    const problem = screenToken(token, entry.config, this.clockTolerance);
    if (problem === 'expired') throw new InvalidTokenException(TOKEN_EXPIRED);
    if (problem) throw new InvalidTokenException(TOKEN_INVALID);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, entry.keys.getKey, {
        issuer: entry.config.issuer,
        audience: entry.config.audience,
        algorithms: entry.config.algorithms,
        clockTolerance: this.clockTolerance,
        requiredClaims: ['iss', 'aud', 'exp', 'sub'],
      }));
    } catch (error) {
      throw new InvalidTokenException(error instanceof errors.JWTExpired ? TOKEN_EXPIRED : TOKEN_INVALID);
    }
    return { identity: identityFrom(payload, entry.config), expiresAt: payload.exp as number };
  }
}

/** The claims we keep. An email only when the issuer is trusted for it and the token says it is verified. */
function identityFrom(payload: JWTPayload, issuer: TrustedIssuer): VerifiedIdentity {
  const { email, name } = payload;
  // OIDC says email_verified; Better Auth says emailVerified.
  const verified = payload.email_verified === true || payload.emailVerified === true;
  // Normalized like every email here, so an address the provider spells differently still matches (and collides
  // with) the account that holds it; one that keeps a hidden character is not kept, as it could not be registered.
  const normalized = issuer.trustEmail && verified && typeof email === 'string' ? normalizeEmail(email) : '';
  const codePoints = [...normalized].length;
  const trustedEmail = codePoints >= 3 && codePoints <= MAX_EMAIL_LENGTH && !hasHiddenCharacter(normalized);
  const trimmedName = typeof name === 'string' ? name.trim().slice(0, MAX_NAME_LENGTH) : '';
  return {
    issuer: issuer.issuer,
    subject: payload.sub as string,
    email: trustedEmail ? normalized : null,
    name: trimmedName === '' ? null : trimmedName,
  };
}
