import { registerAs } from '@nestjs/config';
import { loadOrCreateDevSecret } from './dev-secret.js';

export const jwtConfig = registerAs('jwt', () => ({
  // Production boots only with JWT_SECRET set (see env.validation.ts); elsewhere
  // a generated secret kept in DATA_DIR lets tokens survive a restart.
  secret: process.env.JWT_SECRET || loadOrCreateDevSecret(process.env.DATA_DIR ?? './data'),
  algorithm: 'HS256' as const,
  accessTtlSeconds: Number(process.env.JWT_ACCESS_TTL ?? 900),
  issuer: process.env.JWT_ISSUER ?? 'taskwell',
  audience: process.env.JWT_AUDIENCE ?? 'taskwell-api',
  /** RFC 9068 explicit typing: only tokens with this `typ` are access tokens (RFC 8725 §3.11). */
  tokenType: 'at+jwt' as const,
  /** Allowed clock skew for `exp` and `nbf`. */
  clockToleranceSeconds: 5,
}));
