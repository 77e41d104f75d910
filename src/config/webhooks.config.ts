import { registerAs } from '@nestjs/config';
import Joi from 'joi';
import { envVariables, readEnv } from './read-env.js';

const MIN_KEY_BYTES = 32;
const EXAMPLE = '(for example: openssl rand -base64 48)';

/** `5s,5m,30m,2h,5h,10h,10h`: the waits after each failed attempt; past the last, the delivery fails. */
const DURATION = /^(\d+)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

export function parseSchedule(text: string): number[] | undefined {
  const parts = text.split(',').map((part) => part.trim());
  const waits = parts.map((part) => {
    const match = DURATION.exec(part);
    return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : Number.NaN;
  });
  return waits.length > 0 && waits.length <= 20 && waits.every((ms) => Number.isFinite(ms) && ms >= 0)
    ? waits
    : undefined;
}

export const WEBHOOKS_ENV = envVariables({
  // On by default in development and tests; production opts in (with WEBHOOKS_SECRET_KEY), so an upgrade boots as before.
  WEBHOOKS_ENABLED: Joi.boolean().when('NODE_ENV', {
    is: 'production',
    then: Joi.boolean().default(false),
    otherwise: Joi.boolean().default(true),
  }),
  // Encrypts the endpoints' signing secrets at rest. Production with webhooks on boots only with a strong one;
  // elsewhere, unset means a key derived from the JWT secret.
  WEBHOOKS_SECRET_KEY: Joi.string().when('NODE_ENV', {
    is: 'production',
    then: Joi.when('WEBHOOKS_ENABLED', {
      is: Joi.valid(true, 'true'),
      then: Joi.string()
        .required()
        .custom((value: string, helpers) =>
          Buffer.byteLength(value, 'utf8') < MIN_KEY_BYTES ? helpers.error('secret.weak') : value,
        )
        .messages({
          'any.required': `WEBHOOKS_SECRET_KEY is required in production while webhooks are enabled: set it to at least ${MIN_KEY_BYTES} random bytes ${EXAMPLE}, or WEBHOOKS_ENABLED=false`,
          'secret.weak': `WEBHOOKS_SECRET_KEY is too short for production: use at least ${MIN_KEY_BYTES} bytes ${EXAMPLE}`,
        }),
    }),
  }),
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: Joi.boolean().default(false),
  WEBHOOKS_RETRY_SCHEDULE: Joi.string()
    .default('5s,5m,30m,2h,5h,10h,10h')
    .custom((value: string, helpers) => (parseSchedule(value) ? value : helpers.error('schedule.invalid')))
    .messages({ 'schedule.invalid': 'WEBHOOKS_RETRY_SCHEDULE must be durations such as 5s,5m,30m,2h (ms, s, m, h)' }),
  WEBHOOKS_TIMEOUT_MS: Joi.number().integer().min(100).max(60_000).default(10_000),
  WEBHOOKS_CONCURRENCY: Joi.number().integer().min(1).max(1000).default(16),
  WEBHOOKS_POLL_MS: Joi.number().integer().min(10).max(60_000).default(1000),
  WEBHOOKS_MAX_PER_LIST: Joi.number().integer().min(1).max(1000).default(10),
  // Tests only: a PEM file of a certificate authority the sender trusts beside the system's.
  WEBHOOKS_TLS_CA_FILE: Joi.string().when('NODE_ENV', {
    is: 'production',
    then: Joi.forbidden().messages({ 'any.unknown': 'WEBHOOKS_TLS_CA_FILE is for tests and is refused in production' }),
  }),
});

interface WebhooksEnv {
  WEBHOOKS_ENABLED: boolean;
  WEBHOOKS_SECRET_KEY?: string;
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: boolean;
  WEBHOOKS_RETRY_SCHEDULE: string;
  WEBHOOKS_TIMEOUT_MS: number;
  WEBHOOKS_CONCURRENCY: number;
  WEBHOOKS_POLL_MS: number;
  WEBHOOKS_MAX_PER_LIST: number;
  WEBHOOKS_TLS_CA_FILE?: string;
}

/** Outgoing webhooks (docs/CONFIGURATION.md, "Webhooks"). */
export const webhooksConfig = registerAs('webhooks', () => {
  const env = readEnv<WebhooksEnv>(WEBHOOKS_ENV);
  return {
    /** Off (production's default): the routes answer 404 and this instance delivers nothing (changes wait in the log). */
    enabled: env.WEBHOOKS_ENABLED,
    /** Unset: derived from the JWT secret (development and tests). */
    secretKey: env.WEBHOOKS_SECRET_KEY,
    /** Tests and development on one machine: loopback, private and link-local targets, and plain http. */
    allowPrivateTargets: env.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
    /** The wait after the first failed attempt, the second, …; past the last the delivery fails. */
    retryScheduleMs: parseSchedule(env.WEBHOOKS_RETRY_SCHEDULE) ?? [],
    /** One attempt, from the connection to the end of the response. */
    timeoutMs: env.WEBHOOKS_TIMEOUT_MS,
    /** Attempts in flight at once on this instance. */
    concurrency: env.WEBHOOKS_CONCURRENCY,
    /** How often an instance looks for work besides the change signals. */
    pollMs: env.WEBHOOKS_POLL_MS,
    maxPerList: env.WEBHOOKS_MAX_PER_LIST,
    tlsCaFile: env.WEBHOOKS_TLS_CA_FILE,
  };
});
