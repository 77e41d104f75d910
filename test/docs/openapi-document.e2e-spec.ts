import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, ensureBuilt, ROOT, run } from '../helpers/built-app.js';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

const committedText = () => readFileSync(join(ROOT, 'openapi.json'), 'utf8');
const operations = (document: Json) =>
  Object.entries(document.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      name: `${method.toUpperCase()} ${path}`,
      op: item[method] as Json,
    })),
  );
const schemaOf = (document: Json, ref: string): Json => document.components.schemas[ref.split('/').pop()!];

describe('openapi.json', () => {
  const document: Json = JSON.parse(committedText());

  beforeAll(ensureBuilt, 180_000);

  it('is what the code produces (after changing routes or DTOs, run `npm run openapi` and commit)', async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, 'dist/src/generate-openapi.js')], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
    });
    expect(document).toEqual(JSON.parse(stdout)); // a readable diff first,
    expect(committedText()).toBe(stdout); // then byte for byte
  }, 60_000);

  it('passes `redocly lint` with no errors, and only warnings redocly.yaml explains', async () => {
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    const result = await run(bin('redocly'), ['lint', 'openapi.json', '--format=json'], { cwd: ROOT, env }).catch(
      (error: { stdout: string }) => error,
    );
    const problems: { ruleId: string; severity: string; message: string }[] = JSON.parse(result.stdout).problems;
    const config = readFileSync(join(ROOT, 'redocly.yaml'), 'utf8');
    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(problems.filter((problem) => !config.includes(`${problem.ruleId}:`))).toEqual([]);
  }, 60_000);

  it('gives every operation a readable operationId, a summary, a tag and its security', () => {
    for (const { name, op } of operations(document)) {
      expect([name, op.operationId]).toEqual([name, expect.stringMatching(/^[a-z][A-Za-z]*_[a-z][A-Za-z]*$/)]);
      expect([name, op.summary]).toEqual([name, expect.any(String)]);
      expect([name, op.tags]).toEqual([name, [expect.any(String)]]);
      expect([name, op.security]).toEqual([name, expect.any(Array)]);
    }
  });

  it('documents public routes without security and every other route with the bearer token', () => {
    const publicOps = operations(document)
      .filter(({ op }) => op.security.length === 0)
      .map(({ op }) => op.operationId as string);
    expect(publicOps).toEqual(expect.arrayContaining(['auth_register', 'auth_login', 'health_live', 'health_ready']));
    expect(publicOps.filter((id) => !/^(auth|health)_/.test(id))).toEqual([]);
    for (const { op } of operations(document).filter(({ op }) => op.security.length > 0)) {
      expect(op.security).toEqual([{ bearer: [] }]);
      expect(op.responses['401']).toBeDefined();
    }
  });

  it('types every success body as a `{ data }` envelope, and 204s have no body', () => {
    for (const { name, op } of operations(document)) {
      for (const [status, response] of Object.entries(op.responses as Json)) {
        if (!status.startsWith('2')) continue;
        // A 202 (a delivery queued again) answers with no body, as a 204 does.
        if (status === '204' || status === '202') {
          expect([name, response.content]).toEqual([name, undefined]);
          continue;
        }
        // The event stream is server-sent events, not JSON.
        if (name === 'GET /api/events') {
          expect(Object.keys(response.content)).toEqual(['text/event-stream']);
          continue;
        }
        const ref = response.content['application/json'].schema.$ref as string;
        const envelope = schemaOf(document, ref);
        // Health probes answer a bare status; everything under /api is enveloped.
        if (name.includes(' /api/'))
          expect([name, envelope.required]).toEqual([name, expect.arrayContaining(['data'])]);
        expect([name, Object.keys(envelope.properties).length]).not.toEqual([name, 0]);
      }
    }
  });

  it('describes every error as problem+json, and X-Request-Id on every response', () => {
    for (const { name, op } of operations(document)) {
      for (const [status, response] of Object.entries(op.responses as Json)) {
        expect([name, status, response.headers['X-Request-Id']]).toEqual([
          name,
          status,
          { $ref: '#/components/headers/X-Request-Id' },
        ]);
        if (Number(status) >= 400) {
          expect([name, status, Object.keys(response.content)]).toEqual([name, status, ['application/problem+json']]);
        }
      }
    }
  });

  it('gives every request body an example and a closed schema', () => {
    for (const { name, op } of operations(document).filter(({ op }) => op.requestBody)) {
      const media = op.requestBody.content['application/json'];
      expect([name, media.example]).toEqual([name, expect.any(Object)]);
      expect([name, schemaOf(document, media.schema.$ref).additionalProperties]).toEqual([name, false]);
    }
  });

  it('describes every parameter, and where the bearer token comes from (the Authorize dialog shows it)', () => {
    const undescribed = operations(document).flatMap(({ name, op }) =>
      ((op.parameters ?? []) as Json[])
        .map((parameter) =>
          parameter.$ref
            ? schemaOf({ components: { schemas: document.components.parameters } }, parameter.$ref)
            : parameter,
        )
        .filter((parameter) => !parameter.description?.trim())
        .map((parameter) => `${name} ${parameter.in} ${parameter.name}`),
    );
    expect(undescribed).toEqual([]);
    expect(document.components.securitySchemes.bearer.description).toMatch(/POST \/api\/auth\/login.*accessToken/);
  });

  it('names every enum of more than one value (no inline enums for SDKs to duplicate)', () => {
    const inline: string[] = [];
    const visit = (value: unknown, where: string, inComponent: boolean): void => {
      if (typeof value !== 'object' || value === null) return;
      const node = value as Json;
      if (Array.isArray(node.enum) && node.enum.length > 1 && !inComponent) inline.push(where);
      for (const [key, child] of Object.entries(node)) visit(child, `${where}/${key}`, false);
    };
    visit(document.paths, '#/paths', false);
    for (const [name, schema] of Object.entries(document.components.schemas as Json))
      visit(schema, `#/components/schemas/${name}`, true);
    expect(inline).toEqual([]);
  });
});
