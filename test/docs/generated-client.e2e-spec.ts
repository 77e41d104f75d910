import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, ensureBuilt, ROOT, run } from '../helpers/built-app.js';
import { ServiceProcess } from '../helpers/service-process.js';

/**
 * A TypeScript client generated from the committed openapi.json is
 * good enough to program against. The fixture program is type-checked in
 * strict mode against the generated client, then run against the built
 * service. A second copy is compiled against a client whose success bodies
 * were erased, and must fail: proof that the program reads typed `data`.
 */
const PROGRAM = join(ROOT, 'test/fixtures/client-program/program.ts');

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
        // The event stream's success is text/event-stream, not JSON: nothing to loosen there.
        const json = response.content?.['application/json'];
        if (status.startsWith('2') && json) json.schema = {};
      }
    }
  }
  return copy;
}

describe('a client generated from openapi.json', () => {
  const work = mkdtempSync(join(tmpdir(), 'taskwell-client-'));
  const document = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8'));
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    service = await ServiceProcess.launch(work, { JWT_SECRET: 'generated-client-test-secret-0123456789abcdef' });
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    rmSync(work, { recursive: true, force: true });
  }, 30_000);

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
      service!.ready(),
    ]);
    expect(compiled.stdout).toBe('');
    expect(erased.failed).toBe(true);
    expect(erased.stdout).toMatch(/program\.ts.*is of type 'unknown'/);

    const { stdout } = await run(process.execPath, [join(typed, 'out/program.js'), service!.baseUrl]);
    expect(JSON.parse(stdout)).toEqual({
      userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      created: 3,
      pages: expect.any(Number),
      listed: expect.any(Number),
      problem: '/problems/validation-error',
    });
  }, 180_000);
});
