import { createHmac } from 'node:crypto';

/** The secret test/setup-env.ts gives the application. */
export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs (HS256) any header and payload: the tokens an attacker who knew the secret, or a bug, might produce. */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret = TEST_SECRET,
): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A token like the service's own, with `changes` applied (undefined removes a claim). */
export function accessTokenLike(
  claims: { sub: string; sid: string },
  changes: Record<string, unknown> = {},
  header: Record<string, unknown> = { alg: 'HS256', typ: 'at+jwt' },
  secret = TEST_SECRET,
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    ...claims,
    iat: now,
    exp: now + 900,
    iss: 'taskwell',
    aud: 'taskwell-api',
  };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete payload[name];
    else payload[name] = value;
  }
  return signJwt(header, payload, secret);
}

/** The claims of one of the service's tokens (not verified). */
export function claimsOf(token: string): { sub: string; sid: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
