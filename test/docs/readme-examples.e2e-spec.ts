import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ensureBuilt, ROOT } from '../helpers/built-app.js';
import { ServiceProcess } from '../helpers/service-process.js';

/**
 * The README's commands run as a newcomer pastes them, in order, against the built service:
 * the quick start's curl walkthrough, then the "Generating a client" recipe of docs/API.md in a
 * folder of its own. Each block is taken from its page by the marker comment before it; the only change
 * made to it is the service's address. The shell runs with `set -euo pipefail`, and the
 * walkthrough's curl with --fail-with-body, so an HTTP error or a missing field fails the test.
 */
const PAGES = ['README.md', 'docs/API.md'].map((page) => ({ page, text: readFileSync(join(ROOT, page), 'utf8') }));
const README_URL = 'http://localhost:3000';

/** The fenced block right after `<!-- readme-examples: <name> ... -->`, in the one page that has it. */
function block(name: string, language: 'sh' | 'ts'): string {
  const marked = new RegExp(`<!-- readme-examples: ${name}\\b[^>]*-->\\n\`\`\`${language}\\n([\\s\\S]*?)\\n\`\`\`\\n`);
  const found = PAGES.flatMap(({ text }) => marked.exec(text)?.[1] ?? []);
  if (found.length !== 1) {
    const pages = PAGES.map(({ page }) => page).join(' and ');
    throw new Error(
      `${pages} have ${found.length} \`\`\`${language} blocks marked "readme-examples: ${name}", not one`,
    );
  }
  return found[0];
}

/** The block, pointed at the service under test instead of localhost:3000. */
function aimed(text: string, baseUrl: string): string {
  expect(text).toContain(README_URL);
  return text.replaceAll(README_URL, baseUrl);
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The walkthrough's curl calls show the body and carry on whatever the status; here a 4xx fails. */
const FAILING_CURL = 'curl() { command curl --fail-with-body "$@"; }\n';

/**
 * The environment of a newcomer's shell: without what `npm test` and Jest add. npm passes its
 * settings on to scripts (`npm_config_local_prefix` is this repository), and a nested npm
 * would follow them; it also puts `node_modules/.bin` folders first on PATH. NODE_OPTIONS and
 * NODE_ENV are the suite's.
 */
const shellEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(npm_|INIT_CWD$|NODE_OPTIONS$|NODE_ENV$)/i.test(name)),
  ),
  PATH: (process.env.PATH ?? '')
    .split(delimiter)
    .filter((folder) => !/[\\/]node_modules[\\/]|node-gyp-bin/.test(folder))
    .join(delimiter),
};

function bash(script: string, cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `set -euo pipefail\n${script}`],
      { cwd, env: { ...shellEnv, ...env }, maxBuffer: 16 << 20, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lockedVersion = (name: string): string =>
  (
    JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string }>;
    }
  ).packages[`node_modules/${name}`].version;

describe('README examples', () => {
  const work = mkdtempSync(join(tmpdir(), 'taskwell-readme-'));
  let service: ServiceProcess;

  beforeAll(async () => {
    await ensureBuilt();
    service = await ServiceProcess.start(work);
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    rmSync(work, { recursive: true, force: true });
  }, 30_000);

  it('runs the quick start walkthrough as pasted: register, log in, create, toggle, list', async () => {
    const shell = join(work, 'walkthrough');
    mkdirSync(shell);
    const ran = await bash(FAILING_CURL + aimed(block('walkthrough', 'sh'), service.baseUrl), shell);
    expect([ran.code, ran.stderr]).toEqual([0, '']);

    const [registered, toggled, listed] = ran.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(registered.data.user.email).toBe('ada@example.com');
    expect(toggled.data).toMatchObject({ title: 'Write the report', completed: true, tags: ['work'] });
    expect(listed.data).toEqual([expect.objectContaining({ id: toggled.data.id, completed: true })]);
    expect(listed.meta).toMatchObject({ total: 1 });
  }, 60_000);

  // Follows the walkthrough: the recipe's program logs in with the account it created.
  it('follows the client recipe as written, in a folder of its own, with the versions the project locks', async () => {
    const setup = block('client-setup', 'sh');
    expect(setup).toContain(`@hey-api/openapi-ts@${lockedVersion('@hey-api/openapi-ts')} `);
    expect(setup).toContain(`typescript@${lockedVersion('typescript')}`);

    const home = join(work, 'recipe');
    mkdirSync(home);
    // The versions are the project's, so npm finds their packages in the cache `npm ci` filled.
    const npm = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
    const prepared = await bash(aimed(setup, service.baseUrl), home, npm);
    // npm may warn (engines, install scripts): only its exit code counts, its output explains a failure.
    expect([prepared.code, prepared.code === 0 ? '' : prepared.stdout + prepared.stderr]).toEqual([0, '']);

    const folder = join(home, 'taskwell-client');
    writeFileSync(join(folder, 'program.ts'), aimed(block('client-program', 'ts'), service.baseUrl));
    const ran = await bash(block('client-run', 'sh'), folder);
    expect([ran.code, ran.stderr, ran.code === 0 ? '' : ran.stdout]).toEqual([0, '', '']);

    const lines = ran.stdout.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['Write the report true', 'Try the client false']));
    expect(lines.at(-1)).toMatch(/^title must /);
  }, 240_000);
});
