import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const ROOT = join(import.meta.dirname, '..', '..');

/** The "Adding a module" section of docs/CONTRIBUTING.md, up to the next heading of its level or above. */
function moduleGuide(): string {
  const guide = readFileSync(join(ROOT, 'docs/CONTRIBUTING.md'), 'utf8');
  const start = guide.indexOf('\n## Adding a module\n');
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = guide.slice(start + 1);
  const next = rest.search(/\n#{1,2} /);
  return next === -1 ? rest : rest.slice(0, next);
}

/** Repository paths in backticks: `src/...`, `test/...`, `migrations/...`, without placeholders. */
function namedPaths(text: string): string[] {
  return [...text.matchAll(/`((?:src|test|migrations)\/[\w./-]+)`/g)].map((match) => match[1]);
}

/** `users` → `notes`, `user` → `note`: how the worked example names its copies. */
const renamed = (path: string) => path.replaceAll('users', 'notes').replaceAll('user', 'note');

describe('docs/CONTRIBUTING.md: Adding a module', () => {
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
