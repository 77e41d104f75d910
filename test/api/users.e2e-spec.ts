import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, registerUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

describe('Users (e2e)', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /api/users/me', () => {
    it('returns the caller without any secret', async () => {
      const user = await registerUser(app, 'Grace');
      const response = await request(app.getHttpServer()).get('/api/users/me').set(bearer(user)).expect(200);
      expect(response.body.data).toEqual({
        id: user.id,
        email: user.email,
        name: 'Grace',
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        updatedAt: expect.any(String),
      });
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('is 401 problem+json without a token', async () => {
      const response = await request(app.getHttpServer()).get('/api/users/me').expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toMatchObject({ type: '/problems/unauthorized', status: 401, instance: '/api/users/me' });
    });
  });
});
