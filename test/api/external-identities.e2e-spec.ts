import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type BetterAuthServer, startBetterAuth } from '../helpers/better-auth-server.js';
import { bearer, registerUser, uniqueEmail } from '../helpers/fixtures.js';
import { sleep } from '../helpers/http.js';
import { type JwksIssuer, startJwksIssuer } from '../helpers/jwks-issuer.js';
import { createTestApp } from '../helpers/test-app.js';

// A Better Auth sign-up and token take a few hundred ms each; the outage test waits out its timers.
jest.setTimeout(30_000);

const AUDIENCE = 'taskwell-api';
const OUR_SECRET = process.env.JWT_SECRET!;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A compact JWS put together by hand, for headers no library would sign. */
const forge = (header: object, payload: object, signature = 'c2lnbmF0dXJl') =>
  `${b64(header)}.${b64(payload)}.${signature}`;
const hs256 = (header: object, payload: object, secret: string) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, any>;
const headerOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as Record<string, any>;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

function issuersEnv(...issuers: object[]): Record<string, string> {
  return { TRUSTED_ISSUERS: JSON.stringify(issuers) };
}

describe('Access tokens of external identity providers (e2e)', () => {
  let betterAuth: BetterAuthServer;
  let impostor: BetterAuthServer;
  let rsa: JwksIssuer;
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());
  const me = (token: string) => http().get('/api/users/me').set(auth(token));

  beforeAll(async () => {
    // One after the other, each kept as it starts: afterAll then stops whatever started, even when a
    // later start fails (an issuer left listening kept Jest from exiting).
    rsa = await startJwksIssuer(AUDIENCE);
    betterAuth = await startBetterAuth({ audience: AUDIENCE });
    // Another Better Auth instance, with keys of its own, claiming the first one's issuer.
    impostor = await startBetterAuth({ audience: AUDIENCE, issuer: betterAuth.url });
    app = await createTestApp({
      ...issuersEnv(
        { issuer: betterAuth.url, jwksUri: betterAuth.jwksUri, audience: AUDIENCE, algorithms: ['EdDSA'] },
        { issuer: rsa.issuer, jwksUri: rsa.jwksUri, audience: AUDIENCE, algorithms: ['RS256'], trustEmail: true },
      ),
      // Neither issuer rotates here: once held, keys are not fetched again during this file, however slow the machine.
      JWKS_COOLDOWN_SECONDS: '600',
    });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([betterAuth?.stop(), impostor?.stop(), rsa?.close()]);
  });

  describe('a Better Auth token (EdDSA)', () => {
    it('provisions a user on first sight, and the next token of that identity is the same user', async () => {
      const email = uniqueEmail('ba');
      const first = await betterAuth.mint(email, 'Grace Hopper');
      expect(headerOf(first.token)).toEqual({ alg: 'EdDSA', kid: expect.any(String) });
      const provisioned = await me(first.token).expect(200);
      // Better Auth says emailVerified: false, and this issuer is not trusted for emails anyway.
      expect(provisioned.body.data).toMatchObject({ email: null, name: 'Grace Hopper' });

      await sleep(1100); // a later iat: a token the API has not seen, so it is verified, not recognised
      const second = await betterAuth.mint(email);
      expect(second.token).not.toBe(first.token);
      const again = await me(second.token).expect(200);
      expect(again.body.data.id).toBe(provisioned.body.data.id);
      const identities = await http().get('/api/users/me/identities').set(auth(second.token)).expect(200);
      expect(identities.body.data).toEqual([
        { issuer: betterAuth.url, subject: first.userId, linkedAt: expect.any(String) },
      ]);
    });

    it('works on /api/tasks and on /api/{userId}/tasks with our user id or the token’s sub', async () => {
      const { token, userId: sub } = await betterAuth.mint(uniqueEmail('tasks'));
      expect(sub).not.toMatch(/^[0-9a-f-]{36}$/); // Better Auth ids are not UUIDs
      const created = await http().post('/api/tasks').set(auth(token)).send({ title: 'From the SPA' }).expect(201);
      const task = created.body.data;
      const ourId = (await me(token).expect(200)).body.data.id;
      expect(task.userId).toBe(ourId);

      for (const base of [`/api/${sub}/tasks`, `/api/${ourId}/tasks`, '/api/tasks']) {
        const list = await http().get(base).set(auth(token)).expect(200);
        expect(list.body.data.map((item: { id: string }) => item.id)).toEqual([task.id]);
        await http().get(`${base}/${task.id}`).set(auth(token)).expect(200);
      }
      await http().patch(`/api/${sub}/tasks/${task.id}`).set(auth(token)).send({ title: 'Renamed' }).expect(200);
      await http().delete(`/api/${sub}/tasks/${task.id}`).set(auth(token)).expect(204);
      await http().get(`/api/tasks/${task.id}`).set(auth(token)).expect(404);
    });

    it('answers anyone else’s {userId} as for our own tokens: 400 when not a UUID, 403 when another user’s', async () => {
      const ada = await registerUser(app);
      const { token } = await betterAuth.mint(uniqueEmail('other'));
      const { userId: otherSub } = await betterAuth.mint(uniqueEmail('other'));

      const notUuid = await http().get(`/api/${otherSub}/tasks`).set(auth(token)).expect(400);
      expect(notUuid.body.errors).toEqual([{ field: 'userId', message: 'must be a UUID' }]);
      const forbidden = await http().get(`/api/${ada.id}/tasks`).set(auth(token)).expect(403);
      expect(forbidden.body.type).toBe('/problems/forbidden');
      // And the other way round: our own token cannot use a provider's sub.
      await http().get(`/api/${otherSub}/tasks`).set(bearer(ada)).expect(400);
      // Without a token, 401 first, as always.
      await http().get(`/api/${otherSub}/tasks`).expect(401);
    });

    it('creates exactly one user for five concurrent first requests of a new identity', async () => {
      const { token } = await betterAuth.mint(uniqueEmail('race'));
      const responses = await Promise.all(Array.from({ length: 5 }, () => me(token)));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(responses.map((response) => response.body.data.id)).size).toBe(1);
      const identities = await http().get('/api/users/me/identities').set(auth(token)).expect(200);
      expect(identities.body.data).toHaveLength(1);
    });
  });

  describe('a second issuer (RS256, its own JWKS server)', () => {
    it('makes the same sub under two issuers two users', async () => {
      const { token, userId: sub } = await betterAuth.mint(uniqueEmail('twice'));
      const fromBetterAuth = (await me(token).expect(200)).body.data.id;
      const fromRsa = (await me(await rsa.sign({ sub })).expect(200)).body.data.id;
      expect(fromRsa).not.toBe(fromBetterAuth);
    });

    it('keeps a verified email of an issuer trusted for emails, and never a verified: false one', async () => {
      const verified = uniqueEmail('verified');
      const unverified = uniqueEmail('unverified');
      const trusted = await me(await rsa.sign({ sub: randomUUID(), email: verified, email_verified: true }));
      expect(trusted.body.data.email).toBe(verified);
      const untrusted = await me(await rsa.sign({ sub: randomUUID(), email: unverified, email_verified: false }));
      expect(untrusted.body.data.email).toBeNull();
    });
  });

  describe('refusals: 401, and no JWKS request', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const rsaClaims = () => ({ sub: 'forger', iss: rsa.issuer, aud: AUDIENCE, iat: now(), exp: now() + 300 });

    beforeAll(async () => {
      // Both issuers' keys are held: from here on an unknown kid waits out the cool-down.
      await me(await rsa.sign({ sub: randomUUID() })).expect(200);
      await me((await betterAuth.mint(uniqueEmail('keys'))).token).expect(200);
    });

    const cases: [string, () => Promise<string>][] = [
      ['an unknown iss', () => rsa.sign({ iss: 'https://unknown.example/' })],
      ['a wrong aud', () => rsa.sign({ aud: 'another-api' })],
      ['an expired token', () => rsa.sign({ iat: now() - 600, exp: now() - 300 })],
      ['a token without exp', () => rsa.sign({ exp: undefined })],
      ['a token not valid yet (nbf)', () => rsa.sign({ nbf: now() + 600 })],
      ['alg none', () => Promise.resolve(forge({ alg: 'none', kid: rsa.kid }, rsaClaims(), ''))],
      [
        'HS256 with a valid kid (the public key as HMAC secret)',
        () => Promise.resolve(hs256({ alg: 'HS256', kid: rsa.kid, typ: 'JWT' }, rsaClaims(), rsa.jwksUri)),
      ],
      [
        'a token of another Better Auth instance claiming the same iss',
        async () => (await impostor.mint(uniqueEmail('impostor'))).token,
      ],
      ['a missing kid', () => rsa.sign({}, { kid: undefined })],
      ['an oversized header', () => rsa.sign({}, { pad: 'x'.repeat(2000) })],
      ['a jku header', () => rsa.sign({}, { jku: rsa.jwksUri })],
      ['an x5u header', () => rsa.sign({}, { x5u: rsa.jwksUri })],
      ['an embedded jwk header', () => rsa.sign({}, { jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } })],
      [
        'a forged signature with the right kid',
        async () => {
          const [header, payload] = (await rsa.sign({ sub: 'victim' })).split('.');
          return `${header}.${payload}.${Buffer.alloc(256).toString('base64url')}`;
        },
      ],
      [
        'our own HS256 key claiming an external iss',
        () =>
          Promise.resolve(hs256({ alg: 'HS256', typ: 'at+jwt' }, { ...rsaClaims(), sid: randomUUID() }, OUR_SECRET)),
      ],
    ];

    it.each(cases)('%s', async (_name, make) => {
      const token = await make();
      const [rsaBefore, betterAuthBefore] = [rsa.fetches, await betterAuth.jwksFetches()];
      const response = await me(token).expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
      expect([rsa.fetches, await betterAuth.jwksFetches()]).toEqual([rsaBefore, betterAuthBefore]);
    });

    it('says an expired token has expired, like ours', async () => {
      const response = await me(await rsa.sign({ iat: now() - 600, exp: now() - 300 })).expect(401);
      expect(response.body.detail).toBe('The access token has expired; refresh it');
    });

    it('never takes our own token for an external one: ours still work beside them', async () => {
      const ada = await registerUser(app);
      await http().get('/api/users/me').set(bearer(ada)).expect(200);
      expect(claimsOf(ada.accessToken).iss).toBe('taskwell');
    });

    it('fetches the JWKS a bounded number of times for a burst of random kids', async () => {
      const before = rsa.fetches;
      const tokens = await Promise.all(Array.from({ length: 40 }, () => rsa.sign({}, { kid: randomUUID() })));
      const responses = await Promise.all(tokens.map((token) => me(token)));
      expect(responses.every((response) => response.status === 401)).toBe(true);
      // At most one per cool-down (600 s here): the keys were fetched within it, so none.
      expect(rsa.fetches - before).toBe(0);
    });
  });

  describe('linking an identity to an existing account', () => {
    it('refuses a first sight whose email belongs to another account with how to link, and merges nothing', async () => {
      const ada = await registerUser(app);
      const sub = randomUUID();
      const token = await rsa.sign({ sub, email: ada.email, email_verified: true });
      const refused = await me(token).expect(409);
      expect(refused.body.detail).toContain('POST /api/users/me/identities');
      const identities = await http().get('/api/users/me/identities').set(bearer(ada)).expect(200);
      expect(identities.body.data).toEqual([]);

      const linked = await http().post('/api/users/me/identities').set(bearer(ada)).send({ token }).expect(201);
      expect(linked.body.data).toMatchObject({ issuer: rsa.issuer, subject: sub });
      // Linked: the provider's tokens now act as Ada.
      const asAda = await me(await rsa.sign({ sub, email: ada.email, email_verified: true })).expect(200);
      expect(asAda.body.data.id).toBe(ada.id);
      await http().post('/api/users/me/identities').set(bearer(ada)).send({ token }).expect(200);
    });

    it('is 409 for an identity linked to another account', async () => {
      const { token } = await betterAuth.mint(uniqueEmail('taken'));
      await me(token).expect(200); // provisioned: linked to its own user
      const bob = await registerUser(app);
      const response = await http().post('/api/users/me/identities').set(bearer(bob)).send({ token }).expect(409);
      expect(response.body.type).toBe('/problems/conflict');
    });

    it('is 400 when the proof is not a valid token of a trusted issuer', async () => {
      const bob = await registerUser(app);
      const forged = await rsa.sign({ aud: 'another-api' });
      const response = await http()
        .post('/api/users/me/identities')
        .set(bearer(bob))
        .send({ token: forged })
        .expect(400);
      expect(response.body.errors[0].field).toBe('token');
    });
  });

  describe('an account without a password', () => {
    it('cannot change a password (409) nor log in with one (401)', async () => {
      const email = uniqueEmail('nopassword');
      const token = await rsa.sign({ sub: randomUUID(), email, email_verified: true });
      await me(token).expect(200);
      const change = await http()
        .post('/api/users/me/password')
        .set(auth(token))
        .send({ currentPassword: 'anything at all', newPassword: 'plausible-Tortoise-42' })
        .expect(409);
      expect(change.body.detail).toContain('identity provider');
      await http().post('/api/auth/login').send({ email, password: 'anything at all' }).expect(401);
    });

    it('is deleted with its identities: the token stops working, and the identity starts afresh', async () => {
      const sub = randomUUID();
      const token = await rsa.sign({ sub });
      const before = (await me(token).expect(200)).body.data.id;
      await http().delete('/api/users/me').set(auth(token)).expect(204);
      await me(token).expect(401);
      const after = (await me(await rsa.sign({ sub })).expect(200)).body.data.id;
      expect(after).not.toBe(before);
    });
  });
});

describe('Key rotation and JWKS outages (e2e)', () => {
  it('accepts a rotated key at once and the previous key within its grace period', async () => {
    const rotating = await startBetterAuth({ audience: AUDIENCE, jwks: { rotationInterval: 1, gracePeriod: 3600 } });
    const app = await createTestApp({
      ...issuersEnv({ issuer: rotating.url, jwksUri: rotating.jwksUri, audience: AUDIENCE, algorithms: ['EdDSA'] }),
      JWKS_COOLDOWN_SECONDS: '1',
    });
    try {
      const email = uniqueEmail('rotation');
      const old = await rotating.mint(email);
      const oldAgain = await rotating.mint(email);
      await request(app.getHttpServer()).get('/api/users/me').set(auth(old.token)).expect(200);
      await sleep(1500); // past the rotation interval and the cool-down
      const rotated = await rotating.mint(email);
      expect(headerOf(rotated.token).kid).not.toBe(headerOf(old.token).kid);
      await request(app.getHttpServer()).get('/api/users/me').set(auth(rotated.token)).expect(200);
      // Never seen before, signed with the previous key: still in the JWKS during the grace period.
      await request(app.getHttpServer()).get('/api/users/me').set(auth(oldAgain.token)).expect(200);
    } finally {
      await app.close();
      await rotating.stop();
    }
  });

  it('keeps held keys while the JWKS endpoint is down, up to JWKS_MAX_STALE_SECONDS, and recovers', async () => {
    const issuer = await startJwksIssuer(AUDIENCE, 'https://flaky.issuer.test/');
    const app = await createTestApp({
      ...issuersEnv({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, audience: AUDIENCE, algorithms: ['RS256'] }),
      JWKS_REFRESH_SECONDS: '1',
      JWKS_COOLDOWN_SECONDS: '1',
      JWKS_MAX_STALE_SECONDS: '3',
    });
    const get = async (sub: string) =>
      (
        await request(app.getHttpServer())
          .get('/api/users/me')
          .set(auth(await issuer.sign({ sub })))
      ).status;
    try {
      const sub = randomUUID();
      const fetchedAt = Date.now();
      expect(await get(sub)).toBe(200);
      issuer.down = true;
      await sleep(1200); // keys due for a refresh, which fails
      expect(await get(sub)).toBe(200);
      expect(issuer.fetches).toBe(2);
      await sleep(Math.max(0, fetchedAt + 3300 - Date.now())); // past the documented 3 s
      expect(await get(sub)).toBe(401);
      issuer.down = false;
      await sleep(1100); // the cool-down after the last failed attempt
      expect(await get(sub)).toBe(200);
    } finally {
      await app.close();
      await issuer.close();
    }
  });

  it('leaves every token alone when no issuer is configured', async () => {
    const issuer = await startJwksIssuer(AUDIENCE);
    const app = await createTestApp();
    try {
      const response = await request(app.getHttpServer())
        .get('/api/users/me')
        .set(auth(await issuer.sign({ iss: issuer.issuer })))
        .expect(401);
      expect(response.body.detail).toBe('The access token is invalid');
      expect(issuer.fetches).toBe(0);
    } finally {
      await app.close();
      await issuer.close();
    }
  });
});
