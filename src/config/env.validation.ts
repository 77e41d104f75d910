import Joi from 'joi';

const MIN_SECRET_BYTES = 32;

interface Env {
  NODE_ENV: string;
  DATABASE_URL?: string;
  DATA_DIR?: string;
  TRUST_PROXY: string;
}

/**
 * Production settings that boot but would hurt later: each refusal says what
 * to set. (A weak JWT_SECRET is refused by its own rule above.)
 */
function refuseUnsafeProduction(env: Env, helpers: Joi.CustomHelpers): Env | Joi.ErrorReport {
  if (env.NODE_ENV !== 'production') return env;
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
  // The password for a DATABASE_URL without one (read by the driver itself): taken as it is, no URL encoding.
  PGPASSWORD: Joi.string().optional(),
  // No default here: in production, whether it was set decides whether the embedded engine is allowed.
  DATA_DIR: Joi.string(),
  DB_POOL_SIZE: Joi.number().integer().min(1).max(100).default(10),
  DB_MIGRATIONS_RUN: Joi.boolean().default(true),
  DB_CONNECT_TIMEOUT_MS: Joi.number().integer().min(100).default(2000),
  DB_STATEMENT_TIMEOUT_MS: Joi.number().integer().min(0).default(10000),
  DB_POOL_MODE: Joi.string().valid('session', 'transaction').default('session'),
  DB_BOOT_RETRY_SECONDS: Joi.number().min(0).max(3600).default(60),
  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis', 'rediss'] })
    .optional(),
  REDIS_KEY_PREFIX: Joi.string().default('taskwell:'),
  REDIS_TIMEOUT_MS: Joi.number().integer().min(10).max(10_000).default(500),
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
  // Inside the grace period, with time left to finish the requests in flight.
  SHUTDOWN_DRAIN_DELAY_MS: Joi.number().integer().min(0).less(Joi.ref('SHUTDOWN_GRACE_MS')).default(0),
})
  .custom(refuseUnsafeProduction)
  .options({ allowUnknown: true, abortEarly: false });
