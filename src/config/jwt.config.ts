import { registerAs } from '@nestjs/config';
import Joi from 'joi';
import { devSecretFile, readDevSecret } from './dev-secret.js';
import { databaseConfig } from './database.config.js';
import { envVariables, readEnv } from './read-env.js';

const MIN_SECRET_BYTES = 32;
const EXAMPLE = '(for example: openssl rand -base64 48)';

export const JWT_ENV = envVariables({
  // Production boots only with a strong one; elsewhere, unset means the development secret (`prepareDevSecret`).
  JWT_SECRET: Joi.string().when('NODE_ENV', {
    is: 'production',
    then: Joi.string()
      .required()
      .custom((value: string, helpers) =>
        Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES ? helpers.error('secret.weak') : value,
      )
      .messages({
        'any.required': `JWT_SECRET is required in production: set it to at least ${MIN_SECRET_BYTES} random bytes ${EXAMPLE}`,
        'secret.weak': `JWT_SECRET is too short for production: use at least ${MIN_SECRET_BYTES} bytes ${EXAMPLE}`,
      }),
    otherwise: Joi.string().optional(),
  }),
  JWT_ACCESS_TTL: Joi.number().integer().min(30).max(86400).default(900),
  JWT_ISSUER: Joi.string().default('taskwell'),
  JWT_AUDIENCE: Joi.string().default('taskwell-api'),
});

interface JwtEnv {
  JWT_SECRET?: string;
  JWT_ACCESS_TTL: number;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

/** JWT_SECRET as set, or undefined: empty means unset. */
export function jwtSecretFromEnv(): string | undefined {
  return readEnv<JwtEnv>(JWT_ENV).JWT_SECRET;
}

export const jwtConfig = registerAs('jwt', () => {
  const env = readEnv<JwtEnv>(JWT_ENV);
  // Reads, never writes: the boot (`prepareDevSecret` in main.ts) creates the development secret.
  const { dataDir } = databaseConfig();
  const secret = env.JWT_SECRET ?? readDevSecret(dataDir);
  if (secret === undefined) {
    throw new Error(`JWT_SECRET is not set and there is no development secret in ${devSecretFile(dataDir)}`);
  }
  return {
    secret,
    /** For the start-up summary: the variable, or the development secret's file. */
    secretSource: env.JWT_SECRET === undefined ? devSecretFile(dataDir) : 'JWT_SECRET',
    algorithm: 'HS256' as const,
    accessTtlSeconds: env.JWT_ACCESS_TTL,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    /** RFC 9068 explicit typing: only tokens with this `typ` are access tokens (RFC 8725 §3.11). */
    tokenType: 'at+jwt' as const,
    /** Allowed clock skew for `exp` and `nbf`. */
    clockToleranceSeconds: 5,
  };
});
