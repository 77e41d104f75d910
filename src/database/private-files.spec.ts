import { afterEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepPrivate } from './private-files.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('keepPrivate', () => {
  const umask = process.umask();
  let folder = '';
  afterEach(() => {
    process.umask(umask);
    rmSync(folder, { recursive: true, force: true });
  });

  it('takes group and world access away from the folder and what it holds', () => {
    folder = mkdtempSync(join(tmpdir(), 'private-'));
    mkdirSync(join(folder, 'pglite', 'global'), { recursive: true });
    writeFileSync(join(folder, 'pglite', 'pg_hba.conf'), 'x');
    writeFileSync(join(folder, 'pglite', 'global', 'pg_control'), 'x');
    for (const path of ['', 'pglite', 'pglite/global']) chmodSync(join(folder, path), 0o777);
    for (const path of ['pglite/pg_hba.conf', 'pglite/global/pg_control']) chmodSync(join(folder, path), 0o666);

    keepPrivate(folder);

    for (const path of ['', 'pglite', 'pglite/global']) expect(modeOf(join(folder, path))).toBe(0o700);
    for (const path of ['pglite/pg_hba.conf', 'pglite/global/pg_control'])
      expect(modeOf(join(folder, path))).toBe(0o600);
  });

  it('makes files created afterwards private too, whatever mode they ask for', () => {
    folder = mkdtempSync(join(tmpdir(), 'private-'));
    process.umask(0);
    keepPrivate(folder);
    writeFileSync(join(folder, 'later'), 'x', { mode: 0o666 });
    expect(modeOf(join(folder, 'later'))).toBe(0o600);
  });
});
