import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { finalizeDocument } from './finalize-document.js';

const options = {
  bearerScheme: 'bearer',
  publicOperations: new Set(['things_open']),
  withoutDatabase: new Set(['things_open']),
  pathParameters: { ownerId: 'The owner' },
};

function documentWith(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/api/{ownerId}/things': {
        post: {
          operationId: 'things_create',
          tags: ['things'],
          'x-response-headers': ['ETag'],
          requestBody: {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateThing' } } },
          },
          responses: { '201': { description: '', content: { 'application/json': { schema: { type: 'object' } } } } },
        } as never,
      },
      '/open': {
        get: { operationId: 'things_open', responses: { '204': { description: '', content: {} } } },
      },
    },
    components: {
      schemas: {
        CreateThing: {
          type: 'object',
          properties: {
            name: { type: 'string', example: 'a' },
            kind: { allOf: [{ $ref: '#/components/schemas/Kind' }] },
          },
        },
        Kind: { type: 'string', enum: ['x', 'y'] },
      },
    },
  };
}

describe('finalizeDocument', () => {
  const document = finalizeDocument(documentWith(), options);
  const create = document.paths['/api/{ownerId}/things'].post as any;
  const open = document.paths['/open'].get as any;

  it('derives security from the public operations', () => {
    expect(create.security).toEqual([{ bearer: [] }]);
    expect(open.security).toEqual([]);
  });

  it('declares path parameters the explorer missed, as described UUIDs', () => {
    expect(create.parameters[0]).toEqual({
      name: 'ownerId',
      in: 'path',
      required: true,
      description: 'The owner',
      schema: { type: 'string', format: 'uuid' },
    });
  });

  it('adds the errors a route of its kind can answer, and no 503 without a database', () => {
    expect(Object.keys(create.responses)).toEqual(['201', '400', '401', '413', '415', '429', '500', '503']);
    expect(Object.keys(open.responses)).toEqual(['204', '500']);
    expect(create.responses['401'].headers['WWW-Authenticate']).toBeDefined();
    // Per-account limits: any authenticated route, never a public one.
    expect(create.responses['429'].headers['Retry-After']).toBeDefined();
  });

  it('puts Location on 201, marked headers on success, X-Request-Id everywhere, and no body on 204', () => {
    expect(Object.keys(create.responses['201'].headers)).toEqual(['Location', 'ETag', 'X-Request-Id']);
    expect(create['x-response-headers']).toBeUndefined();
    expect(open.responses['204']).toEqual({
      description: 'No content',
      headers: { 'X-Request-Id': expect.any(Object) },
    });
  });

  it('closes request schemas, unwraps lone allOf and builds a body example', () => {
    const schema = document.components!.schemas!.CreateThing as any;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.kind).toEqual({ $ref: '#/components/schemas/Kind' });
    expect(create.requestBody.content['application/json'].example).toEqual({ name: 'a', kind: 'x' });
  });

  it('declares every tag used', () => {
    expect(document.tags).toEqual([{ name: 'things' }]);
  });
});
