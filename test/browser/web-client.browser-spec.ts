import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import {
  ARTIFACTS,
  focused,
  type Harness,
  hidden,
  PASSWORD,
  ROOT,
  settles,
  startHarness,
  visible,
} from './browser-harness.js';

/**
 * The web client in a real browser (issue: reference web client): the BUILT
 * app on one origin, the BUILT API on another (real CORS preflights with
 * If-Match and Idempotency-Key, exposed ETag), driven through its labelled
 * controls as a person would. The steps run in order on one account, in its
 * Inbox (the tasks of a list: `/api/lists/{listId}/tasks`).
 * A failed step leaves a screenshot and the page's console in test-artifacts/browser/.
 */
/** The shortest access-token lifetime the configuration allows: the refresh step waits it out. */
const ACCESS_TTL_SECONDS = 30;

// A step's own waits (10 s) fail first, so its screenshot and console are saved.
jest.setTimeout(30_000);

describe('web client in Chromium', () => {
  let harness: Harness;
  let context: BrowserContext;
  let page: Page;
  let consoleLines: string[];
  let traffic: string[];
  let step: Harness['step'];
  let webUrl: string;
  const createHeaders: Record<string, string>[] = [];

  beforeAll(async () => {
    harness = await startHarness({ JWT_ACCESS_TTL: String(ACCESS_TTL_SECONDS) });
    ({ consoleLines, traffic, step, webUrl } = harness);
    context = await harness.newContext();
    context.on('request', (request) => {
      if (request.method() === 'POST' && /^\/api\/lists\/[0-9a-f-]{36}\/tasks$/.test(new URL(request.url()).pathname)) {
        createHeaders.push(request.headers());
      }
    });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  const items = (on: Page = page) => on.locator('ul.tasks > li.task');
  const itemsLeft = (on: Page = page) => on.locator('.items-left');
  const titles = (on: Page = page) => items(on).locator('.title').allTextContents();

  async function addTask(title: string, options: { priority?: string; tags?: string } = {}): Promise<void> {
    const form = page.getByRole('form', { name: 'New task' });
    await form.getByLabel('Title').fill(title);
    if (options.priority) await form.getByLabel('Priority').selectOption(options.priority);
    await form.getByLabel('Tags').fill(options.tags ?? '');
    await form.getByRole('button', { name: 'Add task' }).click();
    await visible(page.getByRole('status').filter({ hasText: `Added “${title}”` }));
  }

  async function session(on: Page = page): Promise<{ accessToken: string; refreshToken: string }> {
    return JSON.parse(await on.evaluate<string>('localStorage.getItem("taskwell.session")'));
  }

  it('signs up, showing a field error from the API next to its field first', async () => {
    await step('sign up', async () => {
      await page.goto(webUrl);
      await page.getByRole('button', { name: 'New here? Create an account' }).click();
      const form = page.getByRole('form', { name: 'Create an account' });
      await form.getByLabel('Name (optional)').fill('Ada');
      await form.getByLabel('Email').fill(`ada-${Date.now()}@example.com`);
      await form.getByLabel('Password').fill('short');
      await form.getByRole('button', { name: 'Create account' }).click();
      const passwordError = form.locator('.field-error:not([hidden])');
      await settles(async () => (await passwordError.textContent())?.includes('Password must'), true);
      await settles(() => form.getByLabel('Password').getAttribute('aria-invalid'), 'true');

      await form.getByLabel('Password').fill(PASSWORD);
      await form.getByRole('button', { name: 'Create account' }).click();
      await visible(page.getByText('Signed in as Ada'));
      await visible(page.getByText('No tasks here.'));
    });
  });

  it('adds tasks (each create carries an Idempotency-Key) and counts items left from meta', async () => {
    await step('add tasks', async () => {
      await addTask('Write the report', { priority: 'high', tags: 'work' });
      await addTask('Buy milk', { tags: 'home' });
      await addTask('Call the bank', { priority: 'low', tags: 'home, phone' });
      await settles(() => items().count(), 3);
      await settles(() => itemsLeft().textContent(), '3 items left');
      expect(createHeaders).toHaveLength(3);
      for (const headers of createHeaders) expect(headers['idempotency-key']).toMatch(/^"[0-9a-f-]{36}"$/);
      expect(new Set(createHeaders.map((headers) => headers['idempotency-key'])).size).toBe(3);
    });
  });

  it('filters by tag, search and priority, and sorts', async () => {
    await step('filter', async () => {
      const filters = page.getByRole('search', { name: 'Filter and sort tasks' });
      await filters.getByLabel('Tag').fill('home');
      await filters.getByLabel('Tag').press('Enter');
      await filters.getByLabel('Tag').blur();
      await settles(() => items().count(), 2);
      await filters.getByLabel('Search').fill('bank');
      await settles(() => items().count(), 1);
      await settles(async () => (await items().first().textContent())?.includes('Call the bank'), true);
      await filters.getByLabel('Search').fill('');
      await filters.getByLabel('Tag').fill('');
      await filters.getByLabel('Tag').blur();
      await settles(() => items().count(), 3);
      await filters.getByLabel('Priority').selectOption('high');
      await settles(() => items().count(), 1);
      await filters.getByLabel('Priority').selectOption('');
      await filters.getByLabel('Sort by').selectOption('title');
      await settles(() => titles(), ['Buy milk', 'Call the bank', 'Write the report']);
      await filters.getByLabel('Sort by').selectOption('createdAt');
      await settles(() => titles(), ['Call the bank', 'Buy milk', 'Write the report']);
    });
  });

  it('edits a task with the keyboard', async () => {
    await step('edit', async () => {
      await page.getByRole('button', { name: 'Edit: Buy milk' }).click();
      const form = page.getByRole('form', { name: 'Edit task: Buy milk' });
      await focused(form.getByLabel('Title'));
      await form.getByLabel('Title').fill('Buy oat milk');
      await form.getByLabel('Description').fill('The barista kind');
      await form.getByLabel('Due').fill('2026-12-24T10:00');
      await form.getByLabel('Tags').press('Enter'); // submits, as a form should
      await settles(
        async () => (await items().filter({ hasText: 'Buy oat milk' }).textContent())?.includes('The barista kind'),
        true,
      );
      await settles(
        async () => (await items().filter({ hasText: 'Buy oat milk' }).textContent())?.includes('due'),
        true,
      );
    });
  });

  it('toggles a task', async () => {
    await step('toggle', async () => {
      await page.getByRole('checkbox', { name: 'Completed: Buy oat milk' }).check();
      await settles(() => itemsLeft().textContent(), '2 items left');
      await settles(
        async () => /done/.test((await items().filter({ hasText: 'Buy oat milk' }).getAttribute('class')) ?? ''),
        true,
      );
      await page.getByRole('radio', { name: 'Active' }).check();
      await settles(() => items().count(), 2);
      await page.getByRole('radio', { name: 'All' }).check();
      await settles(() => items().count(), 3);
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        // The README's picture of the client, taken from this run.
        await page.evaluate('document.activeElement && document.activeElement.blur()');
        await page.screenshot({ path: join(ARTIFACTS, 'web-client.png'), fullPage: true });
        copyFileSync(join(ARTIFACTS, 'web-client.png'), join(ROOT, 'docs', 'web-client.png'));
      }
    });
  });

  it('fits a 375 px phone screen without horizontal scrolling: an email as the name, long unbroken text', async () => {
    await step('phone width', async () => {
      // A phone of its own (its own storage): an account without a name, so the header shows the email.
      const phoneContext = await harness.browser.newContext({
        viewport: { width: 375, height: 740 },
        isMobile: true,
        hasTouch: true,
      });
      try {
        const phone = await phoneContext.newPage();
        const scrollWidth = () => phone.evaluate<number>('document.documentElement.scrollWidth');
        await phone.goto(webUrl);
        await phone.getByRole('button', { name: 'New here? Create an account' }).click();
        const signUp = phone.getByRole('form', { name: 'Create an account' });
        const email = `ada.lovelace.analytical-engine-${Date.now()}@example.com`;
        await signUp.getByLabel('Email').fill(email);
        await signUp.getByLabel('Password').fill(PASSWORD);
        await signUp.getByRole('button', { name: 'Create account' }).click();
        await visible(phone.getByText(`Signed in as ${email}`));

        // A pasted link as a title and a 50-character tag have no place to break.
        const link = `https://example.com/${'a-very-long-path-segment'.repeat(4)}`;
        const tasks: [string, string][] = [
          ['Write the report', 'work'],
          [link, 't'.repeat(50)],
          ['Call the bank', 'home, phone'],
        ];
        const form = phone.getByRole('form', { name: 'New task' });
        for (const [title, tags] of tasks) {
          await form.getByLabel('Title').fill(title);
          await form.getByLabel('Tags').fill(tags);
          await form.getByRole('button', { name: 'Add task' }).click();
          await visible(
            phone
              .getByRole('status')
              .filter({ hasText: 'Added' })
              .filter({ hasText: title.slice(0, 30) }),
          );
        }
        await settles(() => items(phone).count(), 3);
        await settles(async () => (await scrollWidth()) <= 375, true);

        // An edit form in place of an item (a date input, a textarea, two buttons) fits too.
        await phone.getByRole('button', { name: `Edit: ${link}` }).click();
        await visible(phone.getByRole('form', { name: `Edit task: ${link}` }));
        expect(await scrollWidth()).toBeLessThanOrEqual(375);
        await phone.keyboard.press('Escape');
        await settles(() => items(phone).count(), 3);
        await phone.evaluate('document.activeElement && document.activeElement.blur()');
        await phone.screenshot({ path: join(ARTIFACTS, 'phone-375.png'), fullPage: true });

        // A list with a long name, its share dialog holding a link with no place to break, fits too.
        const newList = phone.getByRole('form', { name: 'New list' });
        const listName = `Projects of the analytical engine ${'x'.repeat(60)}`;
        await newList.getByLabel('List name').fill(listName);
        await newList.getByRole('button', { name: 'Create list' }).click();
        await settles(() => phone.locator('#list-heading').textContent(), listName);
        expect(await scrollWidth()).toBeLessThanOrEqual(375);
        await phone.getByRole('button', { name: 'Share' }).click();
        const share = phone.getByRole('dialog', { name: `Share “${listName}”` });
        await share.getByRole('button', { name: 'Create link' }).click();
        await settles(async () => (await share.getByLabel('Invitation link').inputValue()).includes('#/invite/'), true);
        expect(await scrollWidth()).toBeLessThanOrEqual(375);
        await phone.screenshot({ path: join(ARTIFACTS, 'phone-375-share.png') });
        await share.getByRole('button', { name: 'Close' }).click();
      } finally {
        await phoneContext.close();
      }
    });
  });

  it('answers an edit made stale by a second page with the 412, and offers to reload', async () => {
    await step('412 from a second page', async () => {
      const second = await context.newPage();
      await second.goto(webUrl);
      await second.getByRole('button', { name: 'Edit: Write the report' }).click();
      const secondForm = second.getByRole('form', { name: 'Edit task: Write the report' });
      await page.getByRole('button', { name: 'Edit: Write the report' }).click(); // opened before the other save
      await secondForm.getByLabel('Title').fill('Write the annual report');
      await secondForm.getByRole('button', { name: 'Save' }).click();
      await settles(() => items(second).filter({ hasText: 'Write the annual report' }).count(), 1);

      const form = page.getByRole('form', { name: 'Edit task: Write the report' });
      await form.getByLabel('Title').fill('Write the quarterly report');
      await form.getByRole('button', { name: 'Save' }).click();
      await visible(form.getByText('This task was changed in another tab or device'));
      expect(traffic.filter((line) => / 412$/.test(line))).toEqual([
        expect.stringMatching(/^PATCH \/api\/lists\/[0-9a-f-]{36}\/tasks\/[0-9a-f-]{36} 412$/),
      ]);
      await form.getByRole('button', { name: 'Reload task' }).click();
      await settles(() => form.getByLabel('Title').inputValue(), 'Write the annual report');
      await form.getByLabel('Title').fill('Write the quarterly report');
      await form.getByRole('button', { name: 'Save' }).click();
      await settles(() => items().filter({ hasText: 'Write the quarterly report' }).count(), 1);
      await second.close();
    });
  });

  it('marks all as complete, then clears the completed ones', async () => {
    await step('mark all and clear completed', async () => {
      await page.getByRole('button', { name: 'Mark all as complete' }).click();
      await settles(() => itemsLeft().textContent(), '0 items left');
      await settles(() => page.getByRole('status').textContent(), '2 tasks marked complete.');
      await visible(page.getByRole('button', { name: 'Mark all as active' }));
      await page.getByRole('checkbox', { name: 'Completed: Call the bank' }).uncheck();
      await settles(() => itemsLeft().textContent(), '1 item left');

      await page.getByRole('button', { name: 'Clear completed' }).click();
      await settles(() => page.getByRole('status').textContent(), 'Cleared 2 completed tasks.');
      await settles(() => titles(), ['Call the bank']);
      await settles(() => page.getByRole('button', { name: 'Clear completed' }).isDisabled(), true);
    });
  });

  it('loads more through the cursor', async () => {
    await step('load more', async () => {
      const { accessToken } = await session();
      for (let i = 1; i <= 11; i += 1) {
        const response = await fetch(`${harness.api.baseUrl}/api/tasks`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ title: `Batch ${String(i).padStart(2, '0')}` }),
        });
        expect(response.status).toBe(201);
      }
      await page.reload();
      await settles(() => items().count(), 10);
      await page.getByRole('button', { name: 'Load more' }).click();
      await settles(() => items().count(), 12);
      await hidden(page.getByRole('button', { name: 'Load more' }));
      await settles(() => itemsLeft().textContent(), '12 items left');
    });
  });

  it('refreshes the tokens once after the access token expires, and carries on', async () => {
    await step('refresh after expiry', async () => {
      const { accessToken, refreshToken } = await session();
      const { exp } = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()) as { exp: number };
      // Past `exp` and the API's 5 s clock leeway.
      await page.waitForTimeout(Math.max(0, exp * 1000 + 6_000 - Date.now()));
      const before = traffic.length;
      await addTask('After the token expired');
      const seen = traffic.slice(before);
      expect(seen[0]).toMatch(/^POST \/api\/lists\/[0-9a-f-]{36}\/tasks 401$/);
      expect(seen.filter((line) => line.startsWith('POST /api/auth/refresh'))).toEqual(['POST /api/auth/refresh 200']);
      expect(seen).toContainEqual(expect.stringMatching(/^POST \/api\/lists\/[0-9a-f-]{36}\/tasks 201$/));
      expect((await session()).refreshToken).not.toBe(refreshToken);
    });
  }, 90_000);

  it('logs out: the session ends at the API too', async () => {
    await step('logout', async () => {
      const { refreshToken } = await session();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await visible(page.getByRole('form', { name: 'Sign in' }));
      expect(await page.evaluate('localStorage.getItem("taskwell.session")')).toBeNull();
      const refresh = await fetch(`${harness.api.baseUrl}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      expect(refresh.status).toBe(401);
      expect(consoleLines.filter((line) => line.startsWith('[pageerror]'))).toEqual([]);
    });
  });
});
