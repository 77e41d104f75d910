import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { RESPONSE_HEADERS_EXTENSION } from './api-response-headers.decorator.js';
import { problemResponse } from './problem-response.js';
import { headerRef, RESPONSE_HEADERS, type ResponseHeaderName } from './response-headers.js';

export interface FinalizeOptions {
  /** The bearer security scheme's name in `components.securitySchemes`. */
  bearerScheme: string;
  /** Operations marked `@Public()`: documented with `security: []`. */
  publicOperations: ReadonlySet<string>;
  /** Operations that never touch the database, so never answer 503. */
  withoutDatabase: ReadonlySet<string>;
  /** Descriptions of path parameters, by name. */
  pathParameters?: Readonly<Record<string, string>>;
  /** Identifier path parameters that are not always UUIDs, with their schema. */
  pathParameterSchemas?: Readonly<Record<string, SchemaObject>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
const SUCCESS_DESCRIPTIONS: Record<string, string> = { '200': 'OK', '201': 'Created', '204': 'No content' };
const REQUEST_ID_PARAMETER: ParameterObject = {
  name: 'X-Request-Id',
  in: 'header',
  required: false,
  description:
    'Your id for this request (1 to 128 of `A-Z a-z 0-9 . _ -`), echoed back; otherwise the service assigns one.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' },
};

type Schemas = Record<string, SchemaObject | ReferenceObject>;
const isRef = (value: object): value is ReferenceObject => '$ref' in value;
const refName = (ref: ReferenceObject) => ref.$ref.slice(ref.$ref.lastIndexOf('/') + 1);

/**
 * What the contract says of every route of a kind, applied once to the whole
 * document instead of per route, so routes added later are covered too:
 * security from `@Public()`, `X-Request-Id` everywhere, the errors any
 * authenticated / parameterised / body-carrying route can answer, `Location`
 * on 201, no body on 204, closed request schemas (unknown fields are a 400),
 * and a request body example assembled from the property examples.
 */
export function finalizeDocument(document: OpenAPIObject, options: FinalizeOptions): OpenAPIObject {
  const components = (document.components ??= {});
  const schemas: Schemas = (components.schemas ??= {});
  components.headers = { ...components.headers, ...RESPONSE_HEADERS };
  components.parameters = { ...components.parameters, 'X-Request-Id': REQUEST_ID_PARAMETER };

  const requestSchemas = new Set<string>();
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      finalizeOperation(path, operation, options, schemas);
      operation.tags?.forEach((tag) => tags.add(tag));
      const body = operation.requestBody;
      if (body && !isRef(body)) {
        for (const media of Object.values(body.content)) {
          if (media.schema && isRef(media.schema)) requestSchemas.add(refName(media.schema));
        }
      }
    }
  }
  for (const name of requestSchemas) {
    const schema = schemas[name];
    if (schema && !isRef(schema)) schema.additionalProperties = false;
  }
  for (const schema of Object.values(schemas)) {
    if (!isRef(schema)) unwrapLoneAllOf(schema, schemas);
  }
  // Every tag used is declared (descriptions come from the document builder).
  const declared = new Set((document.tags ?? []).map((tag) => tag.name));
  document.tags = [
    ...(document.tags ?? []),
    ...[...tags].filter((tag) => !declared.has(tag)).map((name) => ({ name })),
  ];
  return document;
}

function finalizeOperation(path: string, operation: OperationObject, options: FinalizeOptions, schemas: Schemas): void {
  const id = operation.operationId ?? '';
  const isPublic = options.publicOperations.has(id);
  operation.security = isPublic ? [] : [{ [options.bearerScheme]: [] }];

  // Path parameters a controller inherits its route from (`/api/{userId}/tasks`)
  // are not seen by the explorer: declare every one the path template names.
  const declared = (operation.parameters ?? [])
    .filter((p) => !isRef(p) && p.in === 'path')
    .map((p) => (p as ParameterObject).name);
  const missing = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).filter((name) => !declared.includes(name));
  const pathParameters: ParameterObject[] = missing.map((name) => ({ name, in: 'path', required: true }));
  const parameters = [...pathParameters, ...(operation.parameters ?? [])].map((parameter) =>
    !isRef(parameter) && parameter.in === 'path' ? describePathParameter(parameter, options) : parameter,
  );
  const hasInput = parameters.some((p) => !isRef(p) && (p.in === 'path' || p.in === 'query'));
  operation.parameters = [...parameters, { $ref: '#/components/parameters/X-Request-Id' }];

  const responses = operation.responses;
  const ensure = (status: number) => (responses[status] ??= problemResponse(status));
  if (!isPublic) ensure(401);
  // Per-account limits: writes a minute, and requests served at once.
  if (!isPublic) ensure(429);
  if (hasInput || operation.requestBody) ensure(400);
  if (operation.requestBody) {
    ensure(413);
    ensure(415);
  }
  ensure(500);
  if (!options.withoutDatabase.has(id)) ensure(503);

  const record = operation as unknown as Record<string, unknown>;
  const successHeaders = (record[RESPONSE_HEADERS_EXTENSION] ?? []) as ResponseHeaderName[];
  delete record[RESPONSE_HEADERS_EXTENSION];

  for (const [status, original] of Object.entries(responses)) {
    if (!original || isRef(original)) continue;
    // A copy: the explorer may share response objects between inherited routes.
    const response: ResponseObject = { ...original, headers: { ...original.headers } };
    const headers = response.headers!;
    if (status.startsWith('2')) {
      response.description ||= SUCCESS_DESCRIPTIONS[status] ?? 'Success';
      if (status === '201') headers.Location = headerRef('Location');
      for (const name of successHeaders) headers[name] = headerRef(name);
      if (status === '204') delete response.content;
    }
    headers['X-Request-Id'] = headerRef('X-Request-Id');
    responses[status] = response;
  }

  const body = operation.requestBody;
  if (body && !isRef(body)) {
    for (const media of Object.values(body.content)) {
      if (media.example === undefined && media.examples === undefined && media.schema) {
        const example = exampleOf(media.schema, schemas);
        if (example !== undefined) media.example = example;
      }
    }
  }
}

function describePathParameter(parameter: ParameterObject, options: FinalizeOptions): ParameterObject {
  const description = parameter.description ?? options.pathParameters?.[parameter.name];
  return {
    ...parameter,
    ...(description && { description }),
    // Every identifier in our paths is a UUID (docs/API.md), unless said otherwise; a malformed one is a 400.
    ...(/(^id|Id)$/.test(parameter.name) && {
      schema: options.pathParameterSchemas?.[parameter.name] ?? { type: 'string', format: 'uuid' },
    }),
  };
}

/**
 * The explorer wraps enum references in `allOf` so that siblings such as
 * `example` survive OpenAPI 3.0's "$ref has no siblings"; without siblings the
 * wrapper is noise (and a lint warning).
 */
function unwrapLoneAllOf(schema: SchemaObject, schemas: Schemas): void {
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (!isRef(property) && property.allOf?.length === 1 && Object.keys(property).length === 1) {
      schema.properties![key] = property.allOf[0];
      continue;
    }
    // A nullable named enum: OpenAPI 3.0 wants `nullable` beside a `type`, the enum's own.
    if (isRef(property) || !property.nullable || property.type || property.allOf?.length !== 1) continue;
    const [member] = property.allOf;
    const target = isRef(member) ? schemas[refName(member)] : undefined;
    if (target && !isRef(target) && target.type) property.type = target.type;
  }
}

/** An example value built from the examples of a schema's properties. */
function exampleOf(schema: SchemaObject | ReferenceObject, schemas: Schemas, depth = 0): unknown {
  if (depth > 5) return undefined;
  if (isRef(schema)) {
    const target = schemas[refName(schema)];
    return target && exampleOf(target, schemas, depth + 1);
  }
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  for (const member of schema.allOf ?? []) {
    const example = exampleOf(member, schemas, depth + 1);
    if (example !== undefined) return example;
  }
  if (!schema.properties) return undefined;
  const entries = Object.entries(schema.properties)
    .map(([key, property]) => [key, exampleOf(property, schemas, depth + 1)] as const)
    .filter(([, value]) => value !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
