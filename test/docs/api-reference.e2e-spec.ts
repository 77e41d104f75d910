import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CURSOR_EXPIRED,
  INSUFFICIENT_ROLE,
  LIMIT_REACHED,
  MALFORMED_REQUEST,
  PROBLEM_TYPES,
} from '../../src/common/problems/problem-types.js';

/**
 * docs/API.md is the reference a reader of the repository has; openapi.json is generated
 * from the code. Where the two can be compared mechanically, they must agree: the route
 * index (method, path, operationId, status codes) and the list query parameters. The problem
 * table must name every problem type the code defines.
 */
const ROOT = process.cwd();
const reference = readFileSync(join(ROOT, 'docs/API.md'), 'utf8');
const document = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8')) as {
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; responses: Record<string, unknown>; parameters?: { name?: string; in?: string }[] }
    >
  >;
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

type Route = { operationId: string; statuses: string[] };

/** Rows of the route index: | `GET` | `/api/tasks` | `tasks_list` | 200, 400, ... | */
function documentedRoutes(): Map<string, Route> {
  const routes = new Map<string, Route>();
  const row = /^\|\s*`([A-Z]+)`\s*\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|([^|]*)\|\s*$/gm;
  for (const [, method, path, operationId, statuses] of reference.matchAll(row)) {
    const key = `${method} ${path}`;
    if (routes.has(key)) throw new Error(`docs/API.md lists ${key} twice`);
    routes.set(key, { operationId: operationId, statuses: statuses.split(',').map((status) => status.trim()) });
  }
  return routes;
}

function specifiedRoutes(): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS.filter((name) => item[name])) {
      const operation = item[method];
      routes.set(`${method.toUpperCase()} ${path}`, {
        operationId: operation.operationId,
        statuses: Object.keys(operation.responses),
      });
    }
  }
  return routes;
}

/** The text of a section, from its heading to the next heading. */
function section(heading: string): string {
  const start = reference.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/API.md has no "${heading}"`);
  return reference.slice(start + heading.length + 2).split(/\n#{1,3} /)[0];
}

/** The first column of a section's table, for rows that start with a backticked name. */
const tableNamesUnder = (heading: string) =>
  [...section(heading).matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map(([, name]) => name);

const sorted = (values: Iterable<string>) => [...values].sort();

describe('docs/API.md against openapi.json', () => {
  const documented = documentedRoutes();
  const specified = specifiedRoutes();

  it('lists every operation of openapi.json in its route index, and no other', () => {
    expect(specified.size).toBeGreaterThan(0);
    expect(sorted(documented.keys())).toEqual(sorted(specified.keys()));
  });

  it('gives each route the operationId and exactly the status codes openapi.json gives it', () => {
    for (const [key, route] of specified) {
      const entry = documented.get(key);
      expect([key, entry?.operationId, sorted(entry?.statuses ?? [])]).toEqual([
        key,
        route.operationId,
        sorted(route.statuses),
      ]);
    }
  });

  it('explains every error status openapi.json uses in its problem table', () => {
    const explained = new Set([...section('## Errors').matchAll(/^\|\s*(\d{3})\s*\|/gm)].map(([, status]) => status));
    const used = new Set([...specified.values()].flatMap((route) => route.statuses.filter((s) => Number(s) >= 400)));
    expect(sorted([...used].filter((status) => !explained.has(status)))).toEqual([]);
  });

  it('names every problem type the service defines, with its status, and no other', () => {
    const documented = [...section('## Errors').matchAll(/^\|\s*(\d{3})\s*\|\s*`([a-z-]+)`\s*\|/gm)].map(
      ([, status, slug]) => `${status} ${slug}`,
    );
    const defined = [
      ...Object.entries(PROBLEM_TYPES).map(([status, { slug }]) => `${status} ${slug}`),
      `400 ${MALFORMED_REQUEST.slug}`,
      `409 ${LIMIT_REACHED.slug}`,
      `403 ${INSUFFICIENT_ROLE.slug}`,
      `410 ${CURSOR_EXPIRED.slug}`,
    ];
    expect(sorted(documented)).toEqual(sorted(defined));
  });

  it('documents exactly the list query parameters openapi.json declares', () => {
    const parameters = (document.paths['/api/tasks'].get.parameters ?? [])
      .filter((parameter) => parameter.in === 'query')
      .map((parameter) => parameter.name!);
    expect(parameters.length).toBeGreaterThan(0);
    expect(sorted(tableNamesUnder('## List query parameters'))).toEqual(sorted(parameters));
  });

  it('gives every documented route family a section (### METHOD path)', () => {
    const headings = new Set([...reference.matchAll(/^### ([A-Z]+ \S+)$/gm)].map(([, heading]) => heading));
    // `{base}` stands for both task families: /api/tasks and /api/{userId}/tasks.
    const asHeading = (key: string) => key.replace(/ \/api\/(\{userId\}\/)?tasks/, ' {base}');
    expect(sorted(new Set([...specified.keys()].map(asHeading)).values()).filter((key) => !headings.has(key))).toEqual(
      [],
    );
  });
});
