import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Joi from 'joi';
import { envValidationSchema } from '../../src/config/env.validation.js';

/**
 * docs/CONFIGURATION.md names every environment variable the code reads: each variable the
 * service validates, with its default and its limits as the schema declares them (so a
 * minimum is learnt from the page, not from a refused boot), and each one a script, a test,
 * the web client or the compose file reads.
 */
const ROOT = join(import.meta.dirname, '../..');
const page = readFileSync(join(ROOT, 'docs/CONFIGURATION.md'), 'utf8');

/** Table rows by variable: a row's first cell may name several (`A`, `B`). */
const rows = new Map<string, string[]>();
for (const [, first, rest] of page.matchAll(/^\|([^|\n]*`[A-Z][A-Z0-9_]*`[^|\n]*)\|(.*)\|\s*$/gm)) {
  const cells = rest.split('|').map((cell) => cell.trim());
  for (const [, name] of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) rows.set(name, cells);
}

type Description = Joi.Description & {
  flags?: { default?: unknown; only?: boolean };
  allow?: unknown[];
  rules?: { name: string; args?: { limit?: unknown } }[];
};
const schema = (envValidationSchema.describe() as { keys: Record<string, Description> }).keys;

/** The number as the page writes it: plain digits. */
const mentions = (cell: string, value: number) => new RegExp(`(^|[^\\d.])${value}([^\\d.]|$)`).test(cell);

describe('docs/CONFIGURATION.md', () => {
  it('has a row for every variable the service validates', () => {
    expect(Object.keys(schema).length).toBeGreaterThan(30);
    expect(Object.keys(schema).filter((name) => !rows.has(name))).toEqual([]);
  });

  it('gives each its default, its allowed values and its numeric limits, as the schema declares them', () => {
    const wrong: string[] = [];
    for (const [name, description] of Object.entries(schema)) {
      const [defaults = '', limits = ''] = rows.get(name) ?? [];
      const fallback = description.flags?.default;
      if (fallback !== undefined) {
        const shown = fallback === '' ? 'empty' : `\`${JSON.stringify(fallback).replace(/^"|"$/g, '')}\``;
        if (!defaults.includes(shown)) wrong.push(`${name}: default ${shown}, page says "${defaults}"`);
      }
      if (description.flags?.only) {
        for (const value of description.allow ?? []) {
          if (value !== '' && !limits.includes(`\`${String(value)}\``)) wrong.push(`${name}: value ${String(value)}`);
        }
      }
      for (const rule of description.rules ?? []) {
        const limit = rule.args?.limit;
        if (
          ['min', 'max', 'less', 'greater'].includes(rule.name) &&
          typeof limit === 'number' &&
          !mentions(limits, limit)
        )
          wrong.push(`${name}: ${rule.name} ${limit}, page says "${limits}"`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names every variable a script, a test, the web client or the compose file reads', () => {
    const skipped = new Set(['node_modules', 'dist', '.git', 'data', 'coverage', 'test-artifacts']);
    const files = (folder: string): string[] =>
      readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
        const path = `${folder}/${entry.name}`;
        if (entry.isDirectory()) return skipped.has(entry.name) ? [] : files(path);
        return /\.(ts|mts|mjs|js|sh)$/.test(entry.name) ? [path] : [];
      });
    const read = new Set<string>();
    for (const file of [...['src', 'scripts', 'test', 'web'].flatMap(files), 'docker-compose.yml']) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, name] of text.matchAll(/\b(?:process\.env|import\.meta\.env|env)\.([A-Z][A-Z0-9_]*)\b/g))
        read.add(name);
      for (const [, name] of text.matchAll(/\$\{([A-Z][A-Z0-9_]*):[-?=]/g)) read.add(name);
    }
    // The shell's and Node's own.
    for (const name of ['PATH', 'HOME', 'NODE_OPTIONS', 'TZ']) read.delete(name);
    expect(read.size).toBeGreaterThan(20);
    expect([...read].filter((name) => !rows.has(name) && !page.includes(`\`${name}\``)).sort()).toEqual([]);
  });
});
