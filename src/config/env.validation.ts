import Joi from 'joi';
import { APP_ENV } from './app.config.js';
import { AUTH_ENV } from './auth.config.js';
import { CHANGES_ENV } from './changes.config.js';
import { DATABASE_ENV } from './database.config.js';
import { HTTP_SERVER_ENV } from './http-server.config.js';
import { IDENTITY_PROVIDERS_ENV } from './identity-providers.config.js';
import { JWT_ENV } from './jwt.config.js';
import { LIMITS_ENV } from './limits.config.js';
import { LISTS_ENV } from './lists.config.js';
import { REDIS_ENV } from './redis.config.js';
import { WEBHOOKS_ENV } from './webhooks.config.js';
import { insecureJwksUri, parseTrustedIssuers } from './trusted-issuers.js';

interface Env {
  NODE_ENV: string;
  DATABASE_URL?: string;
  DATA_DIR?: string;
  TRUST_PROXY: string;
  JWT_ISSUER: string;
  TRUSTED_ISSUERS?: string;
  HTTP_MAX_CONNECTIONS: number;
  EVENTS_MAX_STREAMS: number;
}

/**
 * Production settings that boot but would hurt later: each refusal says what
 * to set. (A weak JWT_SECRET is refused by its own rule, in JWT_ENV.)
 */
function refuseUnsafeProduction(env: Env, helpers: Joi.CustomHelpers): Env | Joi.ErrorReport {
  if (env.EVENTS_MAX_STREAMS > env.HTTP_MAX_CONNECTIONS * 0.8) {
    // Every event stream holds a connection: the cap must leave room for ordinary requests.
    return helpers.message({
      custom: `EVENTS_MAX_STREAMS (${env.EVENTS_MAX_STREAMS}) must stay at most 80% of HTTP_MAX_CONNECTIONS (${env.HTTP_MAX_CONNECTIONS})`,
    });
  }
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
 * Every environment variable the service reads, validated once at boot: each
 * namespace's variables (rules and defaults are written there, once), and the
 * rules that span namespaces. A bad value stops the process with a message
 * naming the variable; an empty one counts as unset.
 */
export const envValidationSchema = Joi.object({
  ...APP_ENV,
  ...HTTP_SERVER_ENV,
  ...DATABASE_ENV,
  ...JWT_ENV,
  ...AUTH_ENV,
  ...LIMITS_ENV,
  ...REDIS_ENV,
  ...IDENTITY_PROVIDERS_ENV,
  ...LISTS_ENV,
  ...CHANGES_ENV,
  ...WEBHOOKS_ENV,
})
  .custom(refuseUnsafeProduction)
  .options({ allowUnknown: true, abortEarly: false });
