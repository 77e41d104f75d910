import { authConfig } from './auth.config.js';

/**
 * Password length bounds (docs/API.md). The minimum is the auth
 * namespace's `passwordMinLength` (PASSWORD_MIN_LENGTH). Validation
 * decorators run outside dependency injection, so they read the namespace
 * when validating: a value from `.env` (loaded at boot) applies.
 */
export const PASSWORD_MAX_LENGTH = 128;

export function passwordMinLength(): number {
  return authConfig().passwordMinLength;
}
