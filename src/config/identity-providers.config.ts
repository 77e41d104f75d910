import { registerAs } from '@nestjs/config';
import { parseTrustedIssuers } from './trusted-issuers.js';

/** External identity providers (issue 15): their access tokens are accepted beside ours. */
export const identityProvidersConfig = registerAs('identityProviders', () => ({
  issuers: parseTrustedIssuers(process.env.TRUSTED_ISSUERS),
  /** A JWKS request that takes longer fails (the token gets a 401). */
  jwksTimeoutMs: Number(process.env.JWKS_TIMEOUT_MS ?? 3000),
  /** Keys are fetched again after this long, and at once when a token names an unknown `kid`... */
  jwksRefreshSeconds: Number(process.env.JWKS_REFRESH_SECONDS ?? 600),
  /** ...but never more often than this per issuer, so forged `kid`s cannot turn the API into a request amplifier. */
  jwksCooldownSeconds: Number(process.env.JWKS_COOLDOWN_SECONDS ?? 30),
  /** While the JWKS endpoint fails, keys fetched this recently keep verifying; older ones do not. */
  jwksMaxStaleSeconds: Number(process.env.JWKS_MAX_STALE_SECONDS ?? 3600),
  /** Allowed clock skew for `exp` and `nbf`. */
  clockToleranceSeconds: 30,
}));
