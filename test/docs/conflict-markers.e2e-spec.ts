import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'check-conflict-markers.mjs');
// Built from parts so this file holds no marker line of its own.
const [OURS, BASE, THEIRS] = ['<', '=', '>'].map((char) => char.repeat(7));

/** `npm run conflicts` (part of `npm run check`) in a scratch repository. */
describe('the conflict-marker check', () => {
  let repo: string;

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'taskwell-markers-'));
    spawnSync('git', ['init', '-q'], { cwd: repo });
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  const track = (name: string, text: string) => {
    writeFileSync(join(repo, name), text);
    spawnSync('git', ['add', name], { cwd: repo });
  };
  const check = () => spawnSync(process.execPath, [SCRIPT], { cwd: repo, encoding: 'utf8' });

  it('passes on clean files, including look-alike lines', () => {
    track('notes.md', `Title\n${'='.repeat(8)}\n\n  ${OURS} indented\n${BASE}x\n`);
    expect(check().status).toBe(0);
  });

  it.each([
    ['an opening marker', `${OURS} HEAD\n`, 1],
    ['a separator alone on its line', `a\n${BASE}\nb\n`, 2],
    ['a separator with CRLF', `a\r\n${BASE}\r\nb\r\n`, 2],
    ['a closing marker', `x\n${THEIRS} feature\n`, 2],
  ])('fails on %s, naming file and line', (_, text, line) => {
    track('README.md', text);
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`README.md:${line}:`);
  });

  it('ignores files git does not track', () => {
    writeFileSync(join(repo, 'scratch.txt'), `${OURS} HEAD\n`);
    expect(check().status).toBe(0);
  });
});
