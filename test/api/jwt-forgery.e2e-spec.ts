import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { ActiveSessions } from '../../src/auth/active-sessions.service.js';
import { registerUser, type TestUser } from '../helpers/fixtures.js';
import { accessTokenLike, claimsOf, signJwt } from '../helpers/jwt-forge.js';
import { createTestApp } from '../helpers/test-app.js';

const HS256_AT = { alg: 'HS256', typ: 'at+jwt' };

describe('Access token verification, RFC 8725 (e2e)', () => {
  let app: INestApplication<App>;
  let user: TestUser;
  let claims: { sub: string; sid: string };
  let sessionLookups: ReturnType<typeof jest.spyOn>;

  beforeAll(async () => {
    app = await createTestApp();
    user = await registerUser(app);
    claims = claimsOf(user.accessToken);
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => sessionLookups?.mockRestore());

  /** Expects 401 problem+json, and that the token never cost a session lookup. */
  async function expectRejected(token: string): Promise<void> {
    // The real lookup, observed: a forged token must be refused before it.
    sessionLookups = jest.spyOn(app.get(ActiveSessions), 'isActive');
    const response = await request(app.getHttpServer()).get('/api/users/me').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer error="invalid_token", error_description="The access token (is invalid|is malformed|has expired; refresh it)"$/,
    );
    expect(response.body).toMatchObject({ type: '/problems/unauthorized', status: 401 });
    expect(sessionLookups).not.toHaveBeenCalled();
  }

  it('accepts the service’s own token, and one re-signed like it (the control case)', async () => {
    await request(app.getHttpServer())
      .get('/api/users/me')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .expect(200);
    await request(app.getHttpServer())
      .get('/api/users/me')
      .set('Authorization', `Bearer ${accessTokenLike(claims)}`)
      .expect(200);
  });

  it('rejects alg "none" (unsigned)', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...claims, iat: now, exp: now + 900, iss: 'taskwell', aud: 'taskwell-api' };
    await expectRejected(`${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(payload)}.`);
    await expectRejected(`${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(payload)}`);
  });

  it('rejects another algorithm (HS512), even signed with the right secret', async () => {
    await expectRejected(accessTokenLike(claims, {}, { alg: 'HS512', typ: 'at+jwt' }));
  });

  it('rejects a token signed with another key', async () => {
    await expectRejected(accessTokenLike(claims, {}, HS256_AT, 'some-other-secret-that-is-long-enough-000000'));
  });

  it('rejects a tampered payload (signature no longer matches)', async () => {
    const [header, , signature] = user.accessToken.split('.');
    const other = await registerUser(app);
    const payload = JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString('utf8'));
    const tampered = Buffer.from(JSON.stringify({ ...payload, sub: other.id })).toString('base64url');
    await expectRejected(`${header}.${tampered}.${signature}`);
  });

  it('rejects a wrong issuer or audience', async () => {
    await expectRejected(accessTokenLike(claims, { iss: 'someone-else' }));
    await expectRejected(accessTokenLike(claims, { aud: 'another-api' }));
    await expectRejected(accessTokenLike(claims, { iss: undefined }));
    await expectRejected(accessTokenLike(claims, { aud: undefined }));
  });

  it('rejects an expired token and one without exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(accessTokenLike(claims, { iat: now - 1000, exp: now - 60 }));
    await expectRejected(accessTokenLike(claims, { exp: undefined }));
  });

  it('rejects nbf in the future beyond the leeway, accepts it within', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(accessTokenLike(claims, { nbf: now + 120 }));
    await request(app.getHttpServer())
      .get('/api/users/me')
      .set('Authorization', `Bearer ${accessTokenLike(claims, { nbf: now + 2 })}`)
      .expect(200);
  });

  it.each([
    ['jku', { jku: 'https://attacker.example/jwks.json' }],
    ['jwk', { jwk: { kty: 'oct', k: 'c2VjcmV0' } }],
    ['x5u', { x5u: 'https://attacker.example/cert.pem' }],
    ['x5c', { x5c: ['MIIB'] }],
    ['kid', { kid: '../../../../dev/null' }],
    ['crit', { crit: ['exp'] }],
  ])('rejects a header carrying %s (no lookup, no outbound request)', async (_name, extra) => {
    await expectRejected(accessTokenLike(claims, {}, { ...HS256_AT, ...extra }));
  });

  it('rejects a JWT of another type (typ JWT, or none)', async () => {
    await expectRejected(accessTokenLike(claims, {}, { alg: 'HS256', typ: 'JWT' }));
    await expectRejected(accessTokenLike(claims, {}, { alg: 'HS256' }));
  });

  it('rejects claims that are not ours (sub or sid missing or not UUIDs)', async () => {
    await expectRejected(accessTokenLike(claims, { sid: undefined }));
    await expectRejected(accessTokenLike(claims, { sub: 'admin' }));
    await expectRejected(signJwt(HS256_AT, { sub: claims.sub }));
  });

  it('rejects a refresh token used as an access token', async () => {
    await expectRejected(user.refreshToken);
  });

  it('rejects malformed values', async () => {
    for (const token of ['x', 'a.b.c', '..', 'e30.e30.', `${user.accessToken}x`]) await expectRejected(token);
  });

  it('rejects a valid signature for a session that does not exist (after a lookup)', async () => {
    const response = await request(app.getHttpServer())
      .get('/api/users/me')
      .set('Authorization', `Bearer ${accessTokenLike({ ...claims, sid: '00000000-0000-4000-8000-000000000000' })}`);
    expect(response.status).toBe(401);
  });
});
