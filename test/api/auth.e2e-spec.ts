import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { GOOD_PASSWORD, bearer, registerUser, uniqueEmail } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('Auth (e2e)', () => {
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('POST /api/auth/register', () => {
    it('creates the account and returns the user, tokens and Location', async () => {
      const email = uniqueEmail();
      const response = await http()
        .post('/api/auth/register')
        .send({ email: `  ${email}  `, password: GOOD_PASSWORD, name: 'Ada' })
        .expect(201);
      expect(response.headers.location).toBe('/api/users/me');
      expect(response.body.data.user).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email,
        name: 'Ada',
        createdAt: expect.stringMatching(ISO_MS),
        updatedAt: expect.stringMatching(ISO_MS),
      });
      expect(response.body.data.tokens).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/argon2|passwordHash|password_hash/);
    });

    it('returns a usable access token', async () => {
      const user = await registerUser(app);
      await http().get('/api/users/me').set(bearer(user)).expect(200);
    });

    it('makes name null when omitted', async () => {
      const response = await http()
        .post('/api/auth/register')
        .send({ email: uniqueEmail(), password: GOOD_PASSWORD })
        .expect(201);
      expect(response.body.data.user.name).toBeNull();
    });

    it('is 409 for an email already registered in another case', async () => {
      const email = uniqueEmail('Case');
      await http().post('/api/auth/register').send({ email, password: GOOD_PASSWORD }).expect(201);
      const response = await http()
        .post('/api/auth/register')
        .send({ email: email.toUpperCase(), password: GOOD_PASSWORD })
        .expect(409);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: '/problems/conflict', status: 409 });
    });

    it('registers one of five concurrent registrations of one email; the others get 409, none a 5xx', async () => {
      const email = uniqueEmail('race');
      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          http()
            .post('/api/auth/register')
            .send({ email: i % 2 ? email.toUpperCase() : email, password: GOOD_PASSWORD }),
        ),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409]);
    });

    it.each([
      ['an invalid email', { email: 'not-an-email', password: GOOD_PASSWORD }, 'email'],
      ['an email over 254 characters', { email: `${'a'.repeat(250)}@x.io`, password: GOOD_PASSWORD }, 'email'],
      ['a short password', { email: 'short@example.com', password: 'Ab1!xyz' }, 'password'],
      ['a password over 128 characters', { email: 'long@example.com', password: 'x'.repeat(129) }, 'password'],
      ['a commonly used password', { email: 'common@example.com', password: 'password123' }, 'password'],
      ['an empty name', { email: 'noname@example.com', password: GOOD_PASSWORD, name: '   ' }, 'name'],
      [
        'a name over 100 characters',
        { email: 'n@example.com', password: GOOD_PASSWORD, name: 'n'.repeat(101) },
        'name',
      ],
      ['an unknown field', { email: 'u@example.com', password: GOOD_PASSWORD, role: 'admin' }, 'role'],
      ['a missing password', { email: 'missing@example.com' }, 'password'],
    ])('is 400 for %s', async (_case, body, field) => {
      const response = await http().post('/api/auth/register').send(body).expect(400);
      expect(response.body.type).toBe('/problems/validation-error');
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('counts name length in code points (100 emoji are 100 characters)', async () => {
      await http()
        .post('/api/auth/register')
        .send({ email: uniqueEmail(), password: GOOD_PASSWORD, name: '😀'.repeat(100) })
        .expect(201);
    });
  });

  describe('POST /api/auth/login', () => {
    it('logs in case-insensitively and returns fresh tokens', async () => {
      const user = await registerUser(app);
      const response = await http()
        .post('/api/auth/login')
        .send({ email: user.email.toUpperCase(), password: user.password })
        .expect(200);
      expect(response.body.data.user.id).toBe(user.id);
      expect(response.body.data.tokens.refreshToken).not.toBe(user.refreshToken);
      await http()
        .get('/api/users/me')
        .set('Authorization', `Bearer ${response.body.data.tokens.accessToken}`)
        .expect(200);
    });

    it('answers a wrong password and an unknown email identically', async () => {
      const user = await registerUser(app);
      const wrong = await http().post('/api/auth/login').send({ email: user.email, password: 'wrong-password-1' });
      const unknown = await http().post('/api/auth/login').send({ email: uniqueEmail(), password: 'wrong-password-1' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
      expect(strip(wrong.body)).toEqual(strip(unknown.body));
      expect(wrong.body.detail).toBe('Invalid email or password');
      expect(wrong.headers['www-authenticate']).toBe('Bearer');
    });

    it('is 400 without a password', async () => {
      await http().post('/api/auth/login').send({ email: 'a@b.io' }).expect(400);
    });
  });

  describe('GET /api/auth/session', () => {
    it('returns the user and the token expiry', async () => {
      const user = await registerUser(app);
      const before = Date.now();
      const response = await http().get('/api/auth/session').set(bearer(user)).expect(200);
      expect(response.body.data.user.id).toBe(user.id);
      const expiresAt = Date.parse(response.body.data.expiresAt);
      expect(expiresAt).toBeGreaterThan(before + 800_000);
      expect(expiresAt).toBeLessThanOrEqual(before + 901_000);
    });

    it('is 401 with a malformed token', async () => {
      const response = await http().get('/api/auth/session').set('Authorization', 'Bearer not.a.jwt').expect(401);
      expect(response.headers['www-authenticate']).toMatch(
        /^Bearer error="invalid_token", error_description="The access token is (invalid|malformed)"$/,
      );
      expect(response.body.type).toBe('/problems/unauthorized');
    });
  });
});
