import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const ROOT = join(import.meta.dirname, '..', '..');

/** The README's "Adding a module" section, up to the next heading. */
function moduleGuide(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Adding a module');
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = readme.slice(start + 1);
  const next = rest.search(/\n#{1,3} /);
  return next === -1 ? rest : rest.slice(0, next);
}

/** Repository paths in backticks: `src/...`, `test/...`, `migrations/...`, without placeholders. */
function namedPaths(text: string): string[] {
  return [...text.matchAll(/`((?:src|test|migrations)\/[\w./-]+)`/g)].map((match) => match[1]);
}

/** `users` → `notes`, `user` → `note`: how the worked example names its copies. */
const renamed = (path: string) => path.replaceAll('users', 'notes').replaceAll('user', 'note');

describe('README: Adding a module', () => {
  const guide = moduleGuide();
  const copies = [...guide.matchAll(/`([\w./-]+)` → `([\w./-]+)`/g)].map(([, from, to]) => ({ from, to }));

  it('names files that exist (the ones it copies, and the ones it points to)', () => {
    const newFiles = new Set(copies.map(({ to }) => to));
    const named = namedPaths(guide).filter((path) => !newFiles.has(path));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('copies each file of the Users module to a `notes` file named after it', () => {
    expect(copies.length).toBeGreaterThanOrEqual(6);
    for (const { from, to } of copies) {
      expect(existsSync(join(ROOT, from))).toBe(true);
      expect(to).toBe(renamed(from));
      expect(existsSync(join(ROOT, to))).toBe(false); // the example's files are not in the repository
    }
  });
});
