import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const SRC = join(import.meta.dirname, '..');

/** Every application file of src/ (specs aside), with its text. */
function sources(): { path: string; module: string; text: string }[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.spec.ts'))
    .map((path) => ({ path, module: path.split('/')[0], text: readFileSync(join(SRC, path), 'utf8') }));
}

/**
 * A module's tables are the ones its entities declare; no other module runs a
 * statement on them (it asks the owner's exported service instead), so a
 * table's rules and its statements change in one place. Import rules cannot
 * see SQL text, hence this check.
 */
describe('table ownership', () => {
  const files = sources();
  const owners = new Map<string, string>();
  for (const file of files) {
    for (const [, table] of file.text.matchAll(/@Entity\('(\w+)'\)/g)) owners.set(table, file.module);
  }

  it('finds the tables of the modules', () => {
    expect(owners.get('users')).toBe('users');
    expect(owners.get('sessions')).toBe('auth');
    expect(owners.get('tasks')).toBe('tasks');
  });

  it('runs statements on a table only in the module that owns it', () => {
    const foreign: string[] = [];
    for (const file of files) {
      // A membership filter may read list_members in any module (isolation twice: docs/SCALING.md).
      const text = file.text.replaceAll(/EXISTS \(SELECT 1 FROM list_members m WHERE/g, '');
      for (const [statement, table] of text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+(\w+)/g)) {
        const owner = owners.get(table);
        if (owner !== undefined && owner !== file.module) {
          foreign.push(`${file.path}: ${statement} (a table of ${owner})`);
        }
      }
    }
    expect(foreign).toEqual([]);
  });
});
