import Joi from 'joi';
import { insecureJwksUri, parseTrustedIssuers } from './trusted-issuers.js';

const MIN_SECRET_BYTES = 32;

interface Env {
  NODE_ENV: string;
  DATABASE_URL?: string;
  DATA_DIR?: string;
  TRUST_PROXY: string;
  JWT_ISSUER: string;
  TRUSTED_ISSUERS: string;
}

/**
 * Production settings that boot but would hurt later: each refusal says what
 * to set. (A weak JWT_SECRET is refused by its own rule above.)
 */
function refuseUnsafeProduction(env: Env, helpers: Joi.CustomHelpers): Env | Joi.ErrorReport {
  const issuers = parseTrustedIssuers(env.TRUSTED_ISSUERS);
  if (issuers.some(({ issuer }) => issuer === env.JWT_ISSUER)) {
    // Our own tokens must never be taken for external ones, nor the reverse.
    return helpers.message({
      custom: `TRUSTED_ISSUERS must not list this service's own issuer (JWT_ISSUER=${env.JWT_ISSUER})`,
    });
  }
  if (env.NODE_ENV !== 'production') return env;
  const insecure = insecureJwksUri(issuers);
  if (insecure) {
    return helpers.message({
      custom: `TRUSTED_ISSUERS: jwksUri ${insecure} must use https in production (plain http only for localhost)`,
    });
  }
  if (!env.DATABASE_URL && !env.DATA_DIR) {
    // Data written into an unnamed folder of a container is lost on the next deploy.
    return helpers.message({
      custom:
        'DATABASE_URL is required in production: set it to your PostgreSQL server (postgres://user:password@host:5432/taskwell). ' +
        'To run the embedded engine in production instead, set DATA_DIR to a persistent folder.',
    });
  }
  if (env.TRUST_PROXY.trim() === 'true') {
    // Trusting every hop lets any client choose its own IP address, and with it its rate-limit bucket.
    return helpers.message({
      custom:
        'TRUST_PROXY=true trusts every client-supplied X-Forwarded-For in production: set it to the number of proxies in front of the service (e.g. 1) or their addresses (e.g. loopback, 10.0.0.0/8).',
    });
  }
  return env;
}

/**
 * Every environment variable the service reads, validated once at boot.
 * A bad value stops the process with a message naming the variable.
 */
export const envValidationSchema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  PORT: Joi.number().port().default(3000),
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .optional(),
  // No default here: in production, whether it was set decides whether the embedded engine is allowed.
  DATA_DIR: Joi.string(),
  DB_POOL_SIZE: Joi.number().integer().min(1).max(100).default(10),
  DB_MIGRATIONS_RUN: Joi.boolean().default(true),
  DB_CONNECT_TIMEOUT_MS: Joi.number().integer().min(100).default(2000),
  DB_STATEMENT_TIMEOUT_MS: Joi.number().integer().min(0).default(10000),
  JWT_SECRET: Joi.string().when('NODE_ENV', {
    is: 'production',
    then: Joi.string()
      .required()
      .custom((value: string, helpers) =>
        Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES ? helpers.error('secret.weak') : value,
      )
      .messages({
        'any.required': `JWT_SECRET is required in production: set it to at least ${MIN_SECRET_BYTES} random bytes (for example: openssl rand -base64 48)`,
        // `cp .env.example .env` leaves it empty
        'string.empty': `JWT_SECRET is required in production: set it to at least ${MIN_SECRET_BYTES} random bytes (for example: openssl rand -base64 48)`,
        'secret.weak': `JWT_SECRET is too short for production: use at least ${MIN_SECRET_BYTES} bytes (for example: openssl rand -base64 48)`,
      }),
    otherwise: Joi.string().optional(),
  }),
  JWT_ACCESS_TTL: Joi.number().integer().min(30).max(86400).default(900),
  JWT_ISSUER: Joi.string().default('taskwell'),
  JWT_AUDIENCE: Joi.string().default('taskwell-api'),
  // A JSON array of external identity providers whose access tokens are accepted (see trusted-issuers.ts).
  TRUSTED_ISSUERS: Joi.string()
    .allow('')
    .default('')
    .custom((value: string, helpers) => {
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
  SESSION_IDLE_TTL_DAYS: Joi.number().positive().default(30),
  SESSION_ABSOLUTE_TTL_DAYS: Joi.number().positive().default(90),
  SESSION_CACHE_SECONDS: Joi.number().min(0).max(30).default(5),
  RATE_LIMIT_AUTH_PER_MINUTE: Joi.number().integer().min(1).default(10),
  RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: Joi.number().integer().min(1).default(5),
  PASSWORD_MIN_LENGTH: Joi.number().integer().min(8).max(128).default(8),
  CORS_ORIGINS: Joi.string().allow('').default(''),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  BODY_LIMIT: Joi.string().default('100kb'),
  PROBLEM_TYPE_BASE: Joi.string().allow('').default('/problems/'),
  DOCS_ENABLED: Joi.boolean().default(true),
  // A hop count, true/false, or comma-separated addresses/subnets (Express "trust proxy").
  TRUST_PROXY: Joi.string().allow('').default(''),
  SHUTDOWN_GRACE_MS: Joi.number().integer().min(0).max(600_000).default(8000),
})
  .custom(refuseUnsafeProduction)
  .options({ allowUnknown: true, abortEarly: false });
