import { registerAs } from '@nestjs/config';
import Joi from 'joi';
import { envVariables, readEnv } from './read-env.js';
import { parseTrustedIssuers } from './trusted-issuers.js';

export const IDENTITY_PROVIDERS_ENV = envVariables({
  // A JSON array of external identity providers whose access tokens are accepted (see trusted-issuers.ts).
  TRUSTED_ISSUERS: Joi.string().custom((value: string, helpers) => {
    try {
      parseTrustedIssuers(value);
      return value;
    } catch (error) {
      return helpers.message({ custom: (error as Error).message });
    }
  }),
  JWKS_TIMEOUT_MS: Joi.number().integer().min(100).max(60_000).default(3000),
  JWKS_REFRESH_SECONDS: Joi.number().integer().min(1).max(86_400).default(600),
  JWKS_COOLDOWN_SECONDS: Joi.number().integer().min(1).max(3600).default(30),
  JWKS_MAX_STALE_SECONDS: Joi.number()
    .integer()
    .min(0)
    .max(7 * 86_400)
    .default(3600),
});

interface IdentityProvidersEnv {
  TRUSTED_ISSUERS?: string;
  JWKS_TIMEOUT_MS: number;
  JWKS_REFRESH_SECONDS: number;
  JWKS_COOLDOWN_SECONDS: number;
  JWKS_MAX_STALE_SECONDS: number;
}

/** External identity providers (docs/IDENTITY-PROVIDERS.md): their access tokens are accepted beside ours. */
export const identityProvidersConfig = registerAs('identityProviders', () => {
  const env = readEnv<IdentityProvidersEnv>(IDENTITY_PROVIDERS_ENV);
  return {
    issuers: parseTrustedIssuers(env.TRUSTED_ISSUERS),
    /** A JWKS request that takes longer fails (the token gets a 401). */
    jwksTimeoutMs: env.JWKS_TIMEOUT_MS,
    /** Keys are fetched again after this long, and at once when a token names an unknown `kid`... */
    jwksRefreshSeconds: env.JWKS_REFRESH_SECONDS,
    /** ...but never more often than this per issuer, so forged `kid`s cannot turn the API into a request amplifier. */
    jwksCooldownSeconds: env.JWKS_COOLDOWN_SECONDS,
    /** While the JWKS endpoint fails, keys fetched this recently keep verifying; older ones do not. */
    jwksMaxStaleSeconds: env.JWKS_MAX_STALE_SECONDS,
    /** Allowed clock skew for `exp` and `nbf`. */
    clockToleranceSeconds: 30,
  };
});
