import type { INestApplication, Type } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IS_PUBLIC_KEY } from './common/decorators/public.decorator.js';
import { finalizeDocument } from './common/openapi/finalize-document.js';

const BEARER = 'bearer';

/** Shown in Swagger UI's Authorize dialog: where a token comes from, and what to paste. */
const BEARER_DESCRIPTION =
  'An access token, of one of two kinds, sent as `Authorization: Bearer <token>`. Ours: ' +
  '`POST /api/auth/register` or `POST /api/auth/login` returns one as `data.tokens.accessToken`: paste it here ' +
  'without the `Bearer ` prefix. It expires after `data.tokens.expiresIn` seconds; `POST /api/auth/refresh` with ' +
  '`data.tokens.refreshToken` returns a new pair. An identity provider’s: a JWT signed by one of the issuers ' +
  'configured in `TRUSTED_ISSUERS` (Better Auth, Auth0, Keycloak, Clerk …), verified against its JWKS; the ' +
  'first one of an identity provisions a user.';

/** Tags in the order clients see them, each with a line of description. */
const TAGS: Record<string, string> = {
  auth: 'Accounts, logins and tokens',
  users: 'The caller’s account',
  tasks:
    'Tasks of the caller’s lists: every list at `/api/tasks` and `/api/{userId}/tasks`, one list at `/api/lists/{listId}/tasks`',
  lists: 'Shared lists: members, roles and invitations',
  changes: 'What changed in the caller’s lists since a cursor',
  events: 'The caller’s changes pushed as server-sent events',
  webhooks: 'A list’s changes delivered to HTTPS endpoints, signed (Standard Webhooks), and their delivery log',
  health: 'Probes for load balancers and orchestrators',
};

/** Operations that answer without the database, so never with 503. */
const WITHOUT_DATABASE = new Set(['health_live']);

const PATH_PARAMETERS = {
  id: 'The task’s id',
  listId: 'The list’s id (a list the caller is not a member of is a 404)',
  memberId: 'The member’s user id',
  invitationId: 'The invitation’s id',
  webhookId: 'The webhook endpoint’s id',
  deliveryId: 'The delivery’s id',
  userId:
    'The caller’s own user id (a UUID), or, with an identity provider’s access token, that token’s `sub` ' +
    '(anyone else’s is a 403; a value that is neither a UUID nor the caller’s `sub` is a 400)',
};

/** An identity provider's `sub` need not be a UUID (Better Auth's are not). */
const PATH_PARAMETER_SCHEMAS = { userId: { type: 'string' as const, minLength: 1, maxLength: 255 } };

/** Stable, readable operation ids for generated clients: `tasks_list`, `userTasks_toggle`, `auth_login`. */
function operationId(controllerKey: string, methodKey: string): string {
  const resource = controllerKey.replace(/Controller$/, '');
  return `${resource.charAt(0).toLowerCase()}${resource.slice(1)}_${methodKey}`;
}

/**
 * The ids of the operations marked `@Public()`, read the way the global JWT
 * guard reads them (handler over class), so the document cannot disagree with it.
 */
function publicOperationIds(app: INestApplication): Set<string> {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const ids = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as Type;
      const prototype = controller.prototype as Record<string, () => unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, controller])) {
          ids.add(operationId(controller.name, name));
        }
      }
    }
  }
  return ids;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Taskwell API')
    .setDescription(
      'Multi-user task management. Bodies are JSON; errors are RFC 9457 problem details ' +
        '(`application/problem+json`). Every response carries `X-Request-Id`.',
    )
    .setVersion('1.0.0')
    // Relative: the document is served by the API it describes; clients set their base URL.
    .addServer('/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: BEARER_DESCRIPTION }, BEARER);
  for (const [name, description] of Object.entries(TAGS)) builder.addTag(name, description);

  const document = SwaggerModule.createDocument(app, builder.build(), { operationIdFactory: operationId });
  assertUniqueOperationIds(document);
  return finalizeDocument(document, {
    bearerScheme: BEARER,
    publicOperations: publicOperationIds(app),
    withoutDatabase: WITHOUT_DATABASE,
    pathParameters: PATH_PARAMETERS,
    pathParameterSchemas: PATH_PARAMETER_SCHEMAS,
  });
}

/** Generated clients name their methods after operation ids: two alike would collide. */
function assertUniqueOperationIds(document: OpenAPIObject): void {
  const seen = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      const id = (operation as { operationId?: string }).operationId;
      if (!id) continue;
      if (seen.has(id)) throw new Error(`Duplicate operationId in the OpenAPI document: ${id}`);
      seen.add(id);
    }
  }
}

/** Swagger UI at `/docs`, the document at `/docs/openapi.json`. */
export function setupOpenApi(app: INestApplication): void {
  // Swagger UI's assets are served by express.static, which answers a directory path (`/docs/x/..`)
  // with its own bare HTML redirect. Without redirects such a path falls through to the problem 404.
  // (Wrapped on the adapter: the application object Nest hands out is a proxy that ignores writes.)
  const adapter = app.getHttpAdapter() as unknown as StaticAdapter;
  const serveStatic = adapter.useStaticAssets.bind(adapter);
  adapter.useStaticAssets = (path, options) => serveStatic(path, { ...options, redirect: false });
  try {
    SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: 'docs/openapi.json',
      yamlDocumentUrl: 'docs/openapi.yaml',
    });
  } finally {
    adapter.useStaticAssets = serveStatic;
  }
}

/** What `setupOpenApi` reads of Nest's Express adapter. */
interface StaticAdapter {
  useStaticAssets(path: string, options?: { redirect?: boolean }): unknown;
}
