import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Controller,
  Get,
  HttpStatus,
  type INestApplication,
  NotFoundException,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { QueryFailedError } from 'typeorm';
import { assignRequestId } from '../http/request-id.js';
import { IdempotencyKeyReusedException } from '../../common/problems/idempotency-key-reused.exception.js';
import { ProblemException } from '../../common/problems/problem.exception.js';
import { ValidationProblemException } from '../../common/problems/validation-problem.exception.js';
import { PROBLEM_TYPE_BASE, ProblemDetailsFilter } from './problem-details.filter.js';

@Controller()
class FailingController {
  @Get('not-found')
  notFound(): never {
    throw new NotFoundException('Task not found');
  }

  @Get('invalid')
  invalid(): never {
    throw ValidationProblemException.of('title', 'must be a string');
  }

  @Get('unprocessable')
  unprocessable(): never {
    throw new UnprocessableEntityException('The amount does not add up');
  }

  @Get('key-reused')
  keyReused(): never {
    throw new IdempotencyKeyReusedException('This Idempotency-Key was already used');
  }

  @Get('own-problem')
  ownProblem(): never {
    throw new ProblemException(
      { slug: 'out-of-credit', title: 'Out of credit' },
      HttpStatus.FORBIDDEN,
      'Top up first',
      {
        balance: 30,
      },
    );
  }

  @Get('unauthorized')
  unauthorized(): never {
    throw new UnauthorizedException();
  }

  @Get('crash')
  crash(): never {
    throw new QueryFailedError('SELECT secret FROM users', [], new Error('relation "users" does not exist'));
  }

  @Get('deadlock')
  deadlock(): never {
    throw new QueryFailedError(
      'INSERT INTO users',
      [],
      Object.assign(new Error('deadlock detected'), { code: '40P01' }),
    );
  }

  @Get('database-down')
  databaseDown(): never {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  }
}

describe(ProblemDetailsFilter.name, () => {
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [FailingController],
      providers: [
        { provide: PROBLEM_TYPE_BASE, useValue: 'https://errors.example/' },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.use(
      (req: Parameters<typeof assignRequestId>[0], res: Parameters<typeof assignRequestId>[1], next: () => void) => {
        assignRequestId(req, res);
        next();
      },
    );
    await app.init();
  });
  afterAll(async () => {
    await app.close();
  });

  it('writes HTTP errors as problem+json with the configured type prefix', async () => {
    const response = await http().get('/not-found?x=1').set('X-Request-Id', 'req-1').expect(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toEqual({
      type: 'https://errors.example/not-found',
      title: 'Not found',
      status: 404,
      detail: 'Task not found',
      instance: '/not-found',
      requestId: 'req-1',
    });
  });

  it('adds errors[] to validation problems', async () => {
    const response = await http().get('/invalid').expect(400);
    expect(response.body.errors).toEqual([{ field: 'title', message: 'must be a string' }]);
  });

  it('gives a plain HttpException the generic type of its status: a 422 is unprocessable-entity', async () => {
    const response = await http().get('/unprocessable').expect(422);
    expect(response.body).toMatchObject({
      type: 'https://errors.example/unprocessable-entity',
      title: 'Unprocessable content',
      detail: 'The amount does not add up',
    });
  });

  it('takes the type from the exception class, whatever its status', async () => {
    const reused = await http().get('/key-reused').expect(422);
    expect(reused.body).toMatchObject({
      type: 'https://errors.example/idempotency-key-reused',
      title: 'Idempotency-Key already used',
    });
    const own = await http().get('/own-problem').expect(403);
    expect(own.body).toEqual({
      type: 'https://errors.example/out-of-credit',
      title: 'Out of credit',
      status: 403,
      detail: 'Top up first',
      instance: '/own-problem',
      requestId: expect.any(String),
      balance: 30,
    });
  });

  it('adds WWW-Authenticate: Bearer to 401s', async () => {
    const response = await http().get('/unauthorized').expect(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('turns unexpected errors into a 500 that leaks no SQL or message', async () => {
    const response = await http().get('/crash').expect(500);
    expect(response.body).toMatchObject({ type: 'https://errors.example/internal-error', status: 500 });
    expect(JSON.stringify(response.body)).not.toMatch(/SELECT|relation|users|stack/i);
  });

  it('answers 503 with Retry-After when the database cannot be reached', async () => {
    const response = await http().get('/database-down').expect(503);
    expect(response.body.type).toBe('https://errors.example/service-unavailable');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body.detail).not.toMatch(/5432|ECONNREFUSED/);
  });

  it('answers 503 with Retry-After for a race lost on every attempt (deadlock), not 500', async () => {
    const response = await http().get('/deadlock').expect(503);
    expect(response.body.type).toBe('https://errors.example/service-unavailable');
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body.detail).not.toMatch(/deadlock|INSERT/);
  });

  it('answers unknown routes with a not-found problem', async () => {
    const response = await http().get('/nowhere').expect(404);
    expect(response.body.type).toBe('https://errors.example/not-found');
  });
});
