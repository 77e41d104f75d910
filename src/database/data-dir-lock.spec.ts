import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DataDirLock } from './data-dir-lock.js';

const lockFile = () => join(mkdtempSync(join(tmpdir(), 'taskwell-lock-')), 'pglite.lock');

describe(DataDirLock.name, () => {
  it('writes our PID and removes the file on release', () => {
    const file = lockFile();
    const lock = DataDirLock.acquire(file);
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a lock held by a live process, naming it', () => {
    const file = lockFile();
    const lock = DataDirLock.acquire(file);
    expect(() => DataDirLock.acquire(file)).toThrow(`in use by another process (PID ${process.pid})`);
    lock.release();
  });

  it('takes over a lock whose process is gone', () => {
    const file = lockFile();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(file, dead);
    const lock = DataDirLock.acquire(file);
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    lock.release();
  });

  it('takes over an unreadable (empty) lock file', () => {
    const file = lockFile();
    writeFileSync(file, '');
    DataDirLock.acquire(file).release();
  });
});
