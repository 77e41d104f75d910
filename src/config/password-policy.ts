/**
 * Password length bounds (shared/API.md). The minimum is PASSWORD_MIN_LENGTH,
 * default 8; NIST SP 800-63B-4 asks 15 where the password is the only factor.
 * Read when validating, so a value from `.env` (loaded at boot) applies.
 */
export const PASSWORD_MAX_LENGTH = 128;

export function passwordMinLength(): number {
  return Number(process.env.PASSWORD_MIN_LENGTH ?? 8);
}
