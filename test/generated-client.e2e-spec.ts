import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, ensureBuilt, ROOT, run } from './helpers/built-app.js';

/**
 * Issue 6: a TypeScript client generated from the committed openapi.json is
 * good enough to program against. The fixture program is type-checked in
 * strict mode against the generated client, then run against the built
 * service. A second copy is compiled against a client whose success bodies
 * were erased, and must fail: proof that the program reads typed `data`.
 */
const PROGRAM = join(ROOT, 'test/fixtures/client-program/program.ts');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A folder with the program, a client generated from `document`, and a strict tsconfig. */
async function prepareProject(dir: string, document: object): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  copyFileSync(PROGRAM, join(dir, 'program.ts'));
  const compilerOptions = {
    strict: true,
    target: 'ES2023',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    lib: ['ES2023', 'DOM'],
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    rootDir: '.',
    outDir: 'out',
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['program.ts'] }));
  // cwd: the generator writes crash logs into its working folder.
  await run(bin('openapi-ts'), ['-i', 'openapi.json', '-o', 'client'], { cwd: dir });
}

/** The document with every success body typed as "anything". */
function withoutSuccessSchemas(document: any): object {
  const copy = structuredClone(document);
  for (const item of Object.values<any>(copy.paths)) {
    for (const operation of Object.values<any>(item)) {
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        if (status.startsWith('2') && response.content) response.content['application/json'].schema = {};
      }
    }
  }
  return copy;
}

describe('a client generated from openapi.json', () => {
  const work = mkdtempSync(join(tmpdir(), 'taskwell-client-'));
  const document = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8'));
  let service: ChildProcess | undefined;
  let serviceLog = '';
  let baseUrl = '';

  beforeAll(async () => {
    await ensureBuilt();
    const port = Number(process.env.CLIENT_TEST_PORT) || (await freePort());
    baseUrl = `http://127.0.0.1:${port}`;
    service = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        // The suite's database (test/global-setup.mjs): the PostgreSQL server, or the
        // embedded engine Jest already runs, which spares the service an initdb.
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        DB_POOL_SIZE: process.env.E2E_DB_POOL_SIZE,
        DB_POOL_MODE: process.env.E2E_DB_POOL_MODE,
        DATA_DIR: join(work, 'data'),
        JWT_SECRET: 'generated-client-test-secret-0123456789abcdef',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout!.on('data', (chunk: Buffer) => (serviceLog += chunk.toString()));
    service.stderr!.on('data', (chunk: Buffer) => (serviceLog += chunk.toString()));
  }, 180_000);

  afterAll(async () => {
    if (service && service.exitCode === null) {
      const exited = new Promise((resolve) => service!.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  }, 30_000);

  async function serviceReady(): Promise<void> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (service?.exitCode !== null) throw new Error(`the service exited:\n${serviceLog}`);
      const ok = await fetch(`${baseUrl}/health/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the service did not become ready:\n${serviceLog}`);
  }

  it('type-checks a strict program against it, and that program works against the service', async () => {
    const typed = join(work, 'typed');
    const untyped = join(work, 'untyped');
    // The service boots while the clients are generated and compiled.
    const [compiled, erased] = await Promise.all([
      prepareProject(typed, document).then(() => run(bin('tsc'), ['-p', typed])),
      prepareProject(untyped, withoutSuccessSchemas(document)).then(() =>
        run(bin('tsc'), ['-p', untyped, '--noEmit']).then(
          () => ({ failed: false, stdout: '' }),
          (error: { stdout: string }) => ({ failed: true, stdout: error.stdout }),
        ),
      ),
      serviceReady(),
    ]);
    expect(compiled.stdout).toBe('');
    expect(erased.failed).toBe(true);
    expect(erased.stdout).toMatch(/program\.ts.*is of type 'unknown'/);

    const { stdout } = await run(process.execPath, [join(typed, 'out/program.js'), baseUrl]);
    expect(JSON.parse(stdout)).toEqual({
      userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      created: 3,
      pages: expect.any(Number),
      listed: expect.any(Number),
      problem: '/problems/validation-error',
    });
  }, 180_000);
});
