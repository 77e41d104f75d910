import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

/**
 * Someone who clones the repository has only the repository: every relative link in the
 * README and docs/ must reach a file inside it, and every `#anchor` a heading of its page;
 * no page or code comment may send the reader to a document outside it (a sibling folder,
 * an issue tracker by number, an outside contract by version); and what the pages name (a
 * file, an npm script, an environment variable) must exist.
 */
const ROOT = process.cwd();
const PAGES = [
  'README.md',
  'web/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Folders that are built, installed or written at run time, never part of a clone. */
const NOT_IN_A_CLONE = new Set(['node_modules', '.git', 'dist', 'data', 'coverage', 'test-artifacts', 'bench-data']);

function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = folder === '.' ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) return NOT_IN_A_CLONE.has(entry.name) ? [] : filesUnder(path);
    return [path];
  });
}
const FILES = filesUnder('.');
const SELF = relative(ROOT, import.meta.filename);
const TEXT = /\.(md|ts|mts|js|mjs|cjs|json|jsonc|ya?ml|sh|cfg|ini|html|css)$|(^|\/)(Dockerfile|\.env\.example|run)$/;

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const withoutFences = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

function anchorsOf(file: string): Set<string> {
  const text = withoutFences(readFileSync(file, 'utf8'));
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => slug(heading)));
}

/** Markdown links `[text](target)` outside code, minus web and mail addresses. */
function linksOf(file: string): string[] {
  const text = withoutFences(readFileSync(file, 'utf8')).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, target]) => target)
    .filter((target) => !/^(https?:|mailto:)/.test(target));
}

/**
 * Wording that points at something a cloner cannot open: a path out of the repository or
 * into a sibling `shared/` folder, the team's style and stack notes, a tracker's issue
 * number, an outside contract by its version.
 */
const UNREACHABLE: [RegExp, string][] = [
  [
    /(^|[\s('"`])\.\.\/(\.\.\/)*shared(?![\w-])|(^|[^\w/.-])shared\/[\w-]+\.md\b|\/work\/\w/,
    'a path outside the repository',
  ],
  [/\b(STYLE|STACK)\.md\b/, 'a document outside the repository'],
  [/\bissues? #?\d+\b/i, 'an issue number'],
  [/\bcontract,? \(?v\d+(\.\d+)?\b/i, 'an outside contract by its version'],
];

/** The text a reader sees of a file: all of a page; of a shell script, only its comments. */
function readable(path: string): string {
  const text = readFileSync(join(ROOT, path), 'utf8');
  if (path !== '.ci/run' && !path.endsWith('.sh')) return text;
  return text
    .split('\n')
    .map((line) => /(?:^|\s)(#.*)$/.exec(line)?.[1] ?? '')
    .join('\n');
}

/**
 * `file:line: what` for each unreachable reference in the text, each page of docs/ it names
 * that does not exist, and each section it names (`docs/API.md, "Errors"`) that its page lacks.
 */
function unreachableReferences(path: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) => [
      ...UNREACHABLE.filter(([pattern]) => pattern.test(line)).map(
        ([, what]) => `${path}:${index + 1}: ${what}: ${line.trim()}`,
      ),
      ...[...line.matchAll(/\bdocs\/[\w.-]+\.md\b/g)]
        .filter(([page]) => !existsSync(join(ROOT, page)))
        .map(([page]) => `${path}:${index + 1}: no such page: ${page}`),
      ...[...line.matchAll(/\b(README|docs\/[\w.-]+\.md)(?:,| \()\s*"([^"]+)"/g)]
        .filter(([, page, name]) => !sectionsOf(page === 'README' ? 'README.md' : page).has(name.toLowerCase()))
        .map(([, page, name]) => `${path}:${index + 1}: no section "${name}" in ${page}`),
    ]);
}

/** The headings of a page, and the bold words that lead its paragraphs and items (`**Order of checks**`). */
function sectionsOf(page: string): Set<string> {
  if (!existsSync(join(ROOT, page))) return new Set();
  const text = withoutFences(readFileSync(join(ROOT, page), 'utf8'));
  return new Set(
    [...text.matchAll(/^#{1,6} (.+)$|^(?:- )?\*\*([^*]+?)\.?\*\*/gm)].map(([, heading, lead]) =>
      (heading ?? lead).trim().toLowerCase(),
    ),
  );
}

/** Scripts of a package.json, `.` being the repository's. */
const scriptsOf = (folder: string): Set<string> =>
  new Set(
    Object.keys(
      (JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
        .scripts,
    ),
  );

/** Every name an environment variable could have, as written in the code and deployment files. */
const CODE_WORDS = new Set(
  FILES.filter(
    (path) => TEXT.test(path) && !path.endsWith('.md') && path !== 'package-lock.json' && path !== SELF,
  ).flatMap((path) => readFileSync(join(ROOT, path), 'utf8').match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []),
);
const BASENAMES = new Set(FILES.map((path) => basename(path)));
const TOP_LEVEL = new Set(readdirSync(ROOT));
/** Files the reader creates or the build writes: named in the pages, absent from a clone. */
const CREATED = /^(\.env|web\/dist\/?|web\/src\/api\/?|dist\/.*|node_modules\/.*|test-artifacts\/.*|data\/?.*)$/;

/** `what: name` for each npm script, file path or environment variable the page names that does not exist. */
function staleNames(page: string, text: string): string[] {
  const stale: string[] = [];
  const home = dirname(page);
  // A page beside a package.json (web/README.md) speaks of that package's scripts.
  const scripts = existsSync(join(ROOT, home, 'package.json')) ? home : '.';
  for (const [, prefix, script, builtIn] of text.matchAll(
    /\bnpm (?:--prefix (\S+) )?(?:run(?:-script)? ([\w:.-]+)|(test|start)\b)/g,
  )) {
    const folder = prefix ?? scripts;
    if (!scriptsOf(folder).has(script ?? builtIn))
      stale.push(`npm script: ${prefix ? `${prefix} ` : ''}${script ?? builtIn}`);
  }
  // `from` → `to`: a file the reader is told to create.
  const code = withoutFences(text).replace(/→ `[^`\n]*`/g, '');
  for (const [, span] of code.matchAll(/`([^`\n]+)`/g)) {
    const name = /^([A-Z][A-Z0-9]*_[A-Z0-9_]+)(=.*)?$/.exec(span)?.[1];
    if (name && !CODE_WORDS.has(name)) stale.push(`environment variable: ${name}`);
    if (!/^\.?[\w.-]+(\/[\w.-]+)*\/?$/.test(span)) continue;
    const candidates = [span, join(home, span)].map((path) => path.replace(/^\.\//, ''));
    if (candidates.some((path) => CREATED.test(path) || existsSync(join(ROOT, path)))) continue;
    if (span.includes('/')) {
      // Only a path into a folder that exists (here or beside the page): not `application/json`.
      const first = candidates[0].split('/')[0];
      if (TOP_LEVEL.has(first) || existsSync(join(ROOT, home, first))) stale.push(`file: ${span}`);
    } else if (/\.(md|ts|mjs|js|cjs|json|jsonc|ya?ml|sh|cfg|ini)$/.test(span) && !BASENAMES.has(span)) {
      stale.push(`file: ${span}`);
    }
  }
  return stale;
}

describe('links in README.md and docs/', () => {
  it('has pages to check', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['README.md', 'docs/API.md', 'docs/CONFIGURATION.md']));
  });

  it.each(PAGES)('%s links only to files of the repository, and to headings that exist', (page) => {
    const broken: string[] = [];
    for (const link of linksOf(join(ROOT, page))) {
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path ? resolve(dirname(join(ROOT, page)), path) : join(ROOT, page);
      if (relative(ROOT, target).startsWith('..') || !existsSync(target)) broken.push(`${link}: no such file here`);
      else if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor))
        broken.push(`${link}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  it.each(PAGES)('%s names only npm scripts, files and environment variables that exist', (page) => {
    expect(staleNames(page, readFileSync(join(ROOT, page), 'utf8'))).toEqual([]);
  });
});

describe('references a cloner cannot open', () => {
  const checked = FILES.filter(
    (path) => TEXT.test(path) && path !== SELF && path !== 'package-lock.json' && statSync(join(ROOT, path)).size < 1e6,
  );

  it('checks the pages, the code and the deployment files', () => {
    expect(checked).toEqual(expect.arrayContaining(['README.md', '.ci/run', 'src/main.ts', 'docker-compose.yml']));
  });

  it('finds none in any page, code comment or script of the repository', () => {
    expect(checked.flatMap((path) => unreachableReferences(path, readable(path)))).toEqual([]);
  });

  it('would report each kind (a check that cannot fail checks nothing)', () => {
    const samples = [
      'see ../shared/API.md',
      'as shared/API.md says',
      'per STYLE.md',
      '(issue 15)',
      'Issue 6: a client',
      'stays signed in (contract v1.1)',
      'under /work/shared/x',
      'as docs/NOWHERE.md says',
      '(docs/API.md, "No such section")',
      '(README, "Hostile bodies")',
    ];
    expect(samples.map((line) => unreachableReferences('x', line).length)).toEqual(samples.map(() => 1));
    expect(unreachableReferences('x', 'the tasks module is shared by both families (RFC 9457)')).toEqual([]);
    expect(
      staleNames('README.md', '`NO_SUCH_VARIABLE` `src/nowhere.ts` `Nowhere.md` `npm run no-such-script`'),
    ).toEqual([
      'npm script: no-such-script',
      'environment variable: NO_SUCH_VARIABLE',
      'file: src/nowhere.ts',
      'file: Nowhere.md',
    ]);
  });
});
