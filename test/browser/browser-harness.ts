import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Locator } from 'playwright-core';
import { BASE_ENV, BuiltService, ensureBuilt } from '../helpers/built-service.js';
import { serveStatic } from './static-server.js';

export const ROOT = join(import.meta.dirname, '..', '..');
const WEB = join(ROOT, 'web');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'plausible-Tortoise-42';

/**
 * The BUILT app on one origin, the BUILT API on another (real CORS
 * preflights), and Chromium; every context made through it records the
 * console and the API traffic, and `step` keeps a screenshot of every open
 * page and that record when a step fails.
 */
export interface Harness {
  /** The API now running (`restartApi` replaces it). */
  readonly api: BuiltService;
  webUrl: string;
  browser: Browser;
  consoleLines: string[];
  /** Every API response the pages saw: `METHOD path status`. */
  traffic: string[];
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
  /** Stops the API (SIGTERM, as a deployment does) and starts it again on the same port and database. */
  restartApi: () => Promise<void>;
  step: (name: string, body: () => Promise<void>) => Promise<void>;
  close: () => Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  ensureBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  const webPort = await freePortHint();
  const apiEnv = {
    ...BASE_ENV,
    DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
    DB_POOL_SIZE: process.env.E2E_DB_POOL_SIZE ?? '2',
    CORS_ORIGINS: `http://localhost:${webPort}`,
    RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    ...env,
  };
  let api = await BuiltService.start(apiEnv);
  const outDir = mkdtempSync(join(tmpdir(), 'taskwell-web-'));
  const build = spawnSync('npm', ['run', 'build', '--', '--outDir', outDir, '--emptyOutDir'], {
    cwd: WEB,
    env: { ...process.env, VITE_API_URL: api.baseUrl },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`web build failed:\n${build.stdout}\n${build.stderr}`);
  const web = await serveStatic(outDir, webPort);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu',
      '--no-first-run',
    ],
  });
  const consoleLines: string[] = [];
  const traffic: string[] = [];

  return {
    get api() {
      return api;
    },
    webUrl: web.url,
    browser,
    consoleLines,
    traffic,
    async newContext(options = { viewport: { width: 900, height: 1000 } }) {
      const context = await browser.newContext(options);
      context.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
      context.on('weberror', (error) => consoleLines.push(`[pageerror] ${error.error().message}`));
      context.on('response', (response) => {
        const url = new URL(response.url());
        if (url.origin === api.baseUrl && response.request().method() !== 'OPTIONS')
          traffic.push(`${response.request().method()} ${url.pathname} ${response.status()}`);
      });
      context.setDefaultTimeout(10_000);
      return context;
    },
    async restartApi() {
      const { baseUrl } = api;
      api.signal('SIGTERM');
      await api.exited;
      api = await BuiltService.start({ ...apiEnv, PORT: new URL(baseUrl).port });
    },
    async step(name, body) {
      try {
        await body();
      } catch (error) {
        const slug = name.replace(/\W+/g, '-');
        const pages = browser.contexts().flatMap((context) => context.pages());
        for (const [index, open] of pages.entries()) {
          await open
            .screenshot({ path: join(ARTIFACTS, `${slug}-page${index + 1}.png`), fullPage: true })
            .catch(() => {});
        }
        writeFileSync(join(ARTIFACTS, `${slug}-console.txt`), [...consoleLines, '', ...traffic].join('\n'));
        throw error;
      }
    },
    async close() {
      await browser.close();
      await web.close();
      await api.dispose();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Waits until `read()` gives `expected` (deep equality), failing with the last value after 10 s. */
export async function settles<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    try {
      expect(value).toEqual(expected);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function visible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: 10_000 });
}

export async function hidden(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'hidden', timeout: 10_000 });
}

export async function focused(locator: Locator): Promise<void> {
  const id = await locator.getAttribute('id');
  await settles(() => locator.page().evaluate('document.activeElement && document.activeElement.id'), id);
}

/** A free port for the web origin, which the API's CORS_ORIGINS must name before either starts. */
async function freePortHint(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
