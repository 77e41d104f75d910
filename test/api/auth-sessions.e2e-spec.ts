import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { hashToken } from '../../src/auth/sessions.service.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { claimsOf } from '../helpers/jwt-forge.js';
import { recordStatements } from '../helpers/sql-statements.js';
import { createTestApp } from '../helpers/test-app.js';

describe('Sessions and refresh tokens (e2e)', () => {
  let app: INestApplication<App>;
  let db: DataSource;

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  afterAll(async () => {
    await app.close();
  });

  const http = () => request(app.getHttpServer());
  const refresh = (refreshToken: string) => http().post('/api/auth/refresh').send({ refreshToken });
  const logout = (refreshToken: string) => http().post('/api/auth/logout').send({ refreshToken });
  const whoAmI = (accessToken: string) => http().get('/api/users/me').set('Authorization', `Bearer ${accessToken}`);

  async function login(user: TestUser) {
    const response = await http()
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
    return response.body.data.tokens as { accessToken: string; refreshToken: string };
  }

  describe('POST /api/auth/refresh', () => {
    it('spends the token and returns a new pair in the same session', async () => {
      const user = await registerUser(app);
      const response = await refresh(user.refreshToken).expect(200);
      const { tokens } = response.body.data;
      expect(tokens).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      expect(tokens.refreshToken).not.toBe(user.refreshToken);
      expect(claimsOf(tokens.accessToken).sid).toBe(claimsOf(user.accessToken).sid);
      expect(response.headers['cache-control']).toBe('no-store');
      await whoAmI(tokens.accessToken).expect(200);
      await refresh(tokens.refreshToken).expect(200);
    });

    it('stores refresh tokens only as hashes of 256-bit random values', async () => {
      const user = await registerUser(app);
      const [owner, secret] = user.refreshToken.split('.');
      expect(Buffer.from(owner, 'base64url').toString('hex')).toBe(user.id.replace(/-/g, ''));
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
      const rows = await db.query(`SELECT token_hash FROM refresh_tokens WHERE user_id = $1`, [user.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows)).not.toContain(user.refreshToken);
    });

    it('detects reuse: a spent token is 401 and ends the whole session', async () => {
      const user = await registerUser(app);
      const next = (await refresh(user.refreshToken).expect(200)).body.data.tokens;

      const replay = await refresh(user.refreshToken).expect(401);
      expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(replay.body.type).toBe('/problems/unauthorized');

      // Every token descended from that login is dead: the rotated refresh token and its access token.
      await refresh(next.refreshToken).expect(401);
      await whoAmI(next.accessToken).expect(401);
      await whoAmI(user.accessToken).expect(401);
    });

    it('ends only the replayed login: the user’s other sessions keep working', async () => {
      const user = await registerUser(app);
      const other = await login(user);
      await refresh(user.refreshToken).expect(200);
      await refresh(user.refreshToken).expect(401);
      await whoAmI(other.accessToken).expect(200);
      await refresh(other.refreshToken).expect(200);
    });

    it('lets at most one of several concurrent refreshes of one token succeed', async () => {
      const user = await registerUser(app);
      const responses = await Promise.all(Array.from({ length: 5 }, () => refresh(user.refreshToken)));
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(1);
      expect(statuses.every((status) => status === 200 || status === 401)).toBe(true);
      const spent = await db.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1`, [user.id]);
      // The original token plus at most one successor.
      expect(spent[0].n).toBeLessThanOrEqual(2);
    });

    it('rejects an unknown token and an access token with 401', async () => {
      const user = await registerUser(app);
      await refresh('not-a-token-we-issued').expect(401);
      const asRefresh = await refresh(user.accessToken).expect(401);
      expect(asRefresh.body.type).toBe('/problems/unauthorized');
    });

    it('accepts a token of the earlier shape (random bytes only) once, and replaces it with one naming its user', async () => {
      const user = await registerUser(app);
      const legacy = randomBytes(32).toString('base64url');
      await db.query(`UPDATE refresh_tokens SET token_hash = $2 WHERE user_id = $1`, [user.id, hashToken(legacy)]);
      const response = await refresh(legacy).expect(200);
      const next = (response.body as { data: { tokens: { refreshToken: string } } }).data.tokens.refreshToken;
      expect(next.startsWith(`${Buffer.from(user.id.replace(/-/g, ''), 'hex').toString('base64url')}.`)).toBe(true);
      await refresh(legacy).expect(401); // a replay still ends the session
      await refresh(next).expect(401);
    });

    it('refuses a token whose user part was changed to another user', async () => {
      const user = await registerUser(app);
      const other = await registerUser(app);
      const forged = `${other.refreshToken.split('.')[0]}.${user.refreshToken.split('.')[1]}`;
      await refresh(forged).expect(401);
      await refresh(user.refreshToken).expect(200);
    });

    it('is 400 without a refresh token, and for unknown fields', async () => {
      await http().post('/api/auth/refresh').send({}).expect(400);
      const user = await registerUser(app);
      await http().post('/api/auth/refresh').send({ refreshToken: user.refreshToken, userId: user.id }).expect(400);
    });

    it('refuses a token past its idle lifetime', async () => {
      const user = await registerUser(app);
      await db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
        user.id,
      ]);
      await refresh(user.refreshToken).expect(401);
    });

    it('refuses refresh and access tokens of a session past its absolute lifetime', async () => {
      const user = await registerUser(app);
      await db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
      await whoAmI(user.accessToken).expect(401);
      await refresh(user.refreshToken).expect(401);
    });

    it('never extends a token past the session’s absolute end', async () => {
      const user = await registerUser(app);
      const rows = await db.query(
        `SELECT r.expires_at <= s.expires_at AS bounded
           FROM refresh_tokens r JOIN sessions s ON s.user_id = r.user_id AND s.id = r.session_id WHERE r.user_id = $1`,
        [user.id],
      );
      expect(rows[0].bounded).toBe(true);
    });
  });

  describe('POST /api/auth/logout', () => {
    it('ends that login at once: its access and refresh tokens stop working, other logins stay', async () => {
      const user = await registerUser(app);
      const other = await login(user);
      await whoAmI(user.accessToken).expect(200); // now cached in the session check

      const response = await logout(user.refreshToken).expect(204);
      expect(response.text).toBe('');

      await whoAmI(user.accessToken).expect(401);
      await refresh(user.refreshToken).expect(401);
      await whoAmI(other.accessToken).expect(200);
    });

    it('is 204 for an already revoked or unknown token', async () => {
      const user = await registerUser(app);
      await logout(user.refreshToken).expect(204);
      await logout(user.refreshToken).expect(204);
      await logout('never-issued').expect(204);
    });

    it('needs no access token, and is 400 without a refresh token', async () => {
      await http().post('/api/auth/logout').send({}).expect(400);
    });

    // Both routes are public: what anyone may send must not cost a scan of every token.
    it('refuses a string that is no token of ours without a query on refresh tokens', async () => {
      const statements = await recordStatements(app, async () => {
        await logout('never-issued').expect(204);
        await refresh(`${'A'.repeat(43)}.`).expect(401);
      });
      expect(statements.filter(({ text }) => text.includes('refresh_tokens'))).toEqual([]);
    });

    it('finds a token of the earlier shape, which names no user, through an index', async () => {
      const statements = await recordStatements(app, () => logout(randomBytes(32).toString('base64url')).expect(204));
      const lookUps = statements.filter(({ text }) => text.includes('refresh_tokens'));
      expect(lookUps).toHaveLength(1);
      const plan = await db.transaction(async (tx) => {
        // The table is small: without this a scan is cheapest. On Citus, SET LOCAL reaches the workers too.
        if ((await tx.query<unknown[]>(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)).length > 0) {
          await tx.query(`SET LOCAL citus.propagate_set_commands = 'local'`);
        }
        await tx.query('SET LOCAL enable_seqscan = off');
        return tx.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${lookUps[0].text}`, lookUps[0].values);
      });
      // By name: with scans off, the planner would also walk all of (user_id, token_hash), which finds nothing faster.
      expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(
        /Index (Only )?Scan (using|on) refresh_tokens_token_hash_idx/,
      );
    });
  });

  describe('GET /api/auth/session', () => {
    it('is 401 once the session is revoked, even though the token has not expired', async () => {
      const user = await registerUser(app);
      await http().get('/api/auth/session').set(bearer(user)).expect(200);
      await logout(user.refreshToken).expect(204);
      await http().get('/api/auth/session').set(bearer(user)).expect(401);
    });
  });
});
