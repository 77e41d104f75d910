import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, type Harness, hidden, PASSWORD, settles, startHarness, visible } from './browser-harness.js';

/**
 * Shared lists in the web client, with two people in two browser
 * contexts (their own storage, so their own sessions): Ada shares a list,
 * Bob joins through the link on a 375 px phone and adds a task, Ada sees it,
 * lowers Bob to viewer (his page loses its controls by itself), adds a
 * webhook that Bob, a viewer, has no panel for, then removes him, and Bob's
 * page says the list is gone without his doing anything.
 */
jest.setTimeout(30_000);

describe('shared lists in Chromium', () => {
  let harness: Harness;
  let ada: Page;
  let bob: Page;
  let link: string;
  const stamp = Date.now();
  const step = (name: string, body: () => Promise<void>) => harness.step(`shared ${name}`, body);

  beforeAll(async () => {
    harness = await startHarness({
      WEBHOOKS_ENABLED: 'true',
      WEBHOOKS_SECRET_KEY: 'browser-suite-webhooks-key-0123456789abcdef',
    });
    ada = await (await harness.newContext()).newPage();
    bob = await (
      await harness.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true })
    ).newPage();
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  const titles = (on: Page) => on.locator('ul.tasks > li.task .title').allTextContents();
  const sidebar = (on: Page) => on.getByRole('navigation', { name: 'Lists' });
  const heading = (on: Page) => on.locator('#list-heading');
  const fitsPhone = async () =>
    expect(await bob.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

  async function signUp(on: Page, name: string): Promise<void> {
    await on.getByRole('button', { name: 'New here? Create an account' }).click();
    const form = on.getByRole('form', { name: 'Create an account' });
    await form.getByLabel('Name (optional)').fill(name);
    await form.getByLabel('Email').fill(`${name.toLowerCase()}-${stamp}@example.com`);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Create account' }).click();
  }

  async function addTask(on: Page, title: string, assignee?: string): Promise<void> {
    const form = on.getByRole('form', { name: 'New task' });
    await form.getByLabel('Title').fill(title);
    if (assignee) await form.getByLabel('Assignee').selectOption({ label: assignee });
    await form.getByRole('button', { name: 'Add task' }).click();
  }

  it('Ada has her Inbox first, creates a list, renames it and shares it as an editor link', async () => {
    await step('share', async () => {
      await ada.goto(harness.webUrl);
      await signUp(ada, 'Ada');
      await visible(ada.getByText('Signed in as Ada'));
      await settles(() => sidebar(ada).getByRole('link').allTextContents(), ['Inbox']);
      await settles(() => heading(ada).textContent(), 'Inbox');
      // The Inbox cannot be shared or deleted: no such buttons.
      expect(await ada.getByRole('button', { name: 'Share' }).count()).toBe(0);

      const newList = ada.getByRole('form', { name: 'New list' });
      await newList.getByLabel('List name').fill('Groceries');
      await newList.getByRole('button', { name: 'Create list' }).click();
      await settles(() => heading(ada).textContent(), 'Groceries');
      await settles(() => ada.getByRole('status').textContent(), 'Created “Groceries”.');
      expect(await sidebar(ada).getByRole('link', { name: 'Groceries' }).getAttribute('aria-current')).toBe('page');

      await ada.getByRole('button', { name: 'Rename' }).click();
      const rename = ada.getByRole('form', { name: 'Rename list: Groceries' });
      await rename.getByLabel('List name').fill('Weekend groceries');
      await rename.getByRole('button', { name: 'Save' }).click();
      await settles(() => heading(ada).textContent(), 'Weekend groceries');
      await addTask(ada, 'Buy bread');
      await settles(() => titles(ada), ['Buy bread']);

      await ada.getByRole('button', { name: 'Share' }).click();
      const dialog = ada.getByRole('dialog', { name: 'Share “Weekend groceries”' });
      // Ada owns the list, so she may hand out admin links too.
      expect(await dialog.getByLabel('Role').locator('option').allTextContents()).toEqual([
        'Viewer',
        'Editor',
        'Admin',
      ]);
      await dialog.getByLabel('Role').selectOption('editor');
      await dialog.getByRole('button', { name: 'Create link' }).click();
      const linkInput = dialog.getByLabel('Invitation link');
      await settles(async () => /#\/invite\/.+/.test(await linkInput.inputValue()), true);
      link = await linkInput.inputValue();
      expect(link.startsWith(`${harness.webUrl}/#/invite/`)).toBe(true);
      await dialog.getByRole('button', { name: 'Copy link' }).click();
      await settles(() => dialog.getByRole('status').textContent(), 'Link copied.');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await hidden(dialog);
    });
  });

  it('Bob opens the link signed out, creates an account, joins and adds a task assigned to Ada', async () => {
    await step('join', async () => {
      await bob.goto(link);
      await visible(bob.getByText('Sign in, or create an account, to join the list you were invited to.'));
      await signUp(bob, 'Bob');
      const join = bob.getByRole('region', { name: 'Join a shared list' });
      await join.getByRole('button', { name: 'Join list' }).click();
      await settles(() => bob.getByRole('status').textContent(), 'You joined “Weekend groceries” as an editor.');
      await settles(() => heading(bob).textContent(), 'Weekend groceries');
      await settles(() => titles(bob), ['Buy bread']);
      await settles(() => sidebar(bob).getByRole('link').count(), 2);

      await addTask(bob, 'Buy cheese', 'Ada');
      await settles(() => titles(bob), ['Buy cheese', 'Buy bread']);
      await visible(bob.locator('li.task', { hasText: 'Buy cheese' }).getByText('assigned to Ada'));
      await fitsPhone();

      // The link was for one use: opened again, it says so in words.
      const other = await (await harness.newContext()).newPage();
      await other.goto(link);
      await signUp(other, 'Eve');
      await other.getByRole('button', { name: 'Join list' }).click();
      await visible(other.getByRole('alert').filter({ hasText: 'This invitation link cannot be used' }));
      await other.context().close();
    });
  });

  it('Ada sees Bob’s task after a reload, and Bob among the members', async () => {
    await step('see', async () => {
      await ada.reload();
      await settles(() => titles(ada), ['Buy cheese', 'Buy bread']);
      await visible(ada.locator('li.task', { hasText: 'Buy cheese' }).getByText('assigned to Ada'));
      const members = ada.getByRole('region', { name: /^Members/ });
      await visible(members.getByText('Bob'));
      expect(await members.getByLabel('Role of Bob').inputValue()).toBe('editor');
      await ada.screenshot({ path: join(ARTIFACTS, 'shared-owner.png'), fullPage: true });
    });
  });

  it('Ada makes Bob a viewer: his page turns read-only by itself', async () => {
    await step('viewer', async () => {
      await ada
        .getByRole('region', { name: /^Members/ })
        .getByLabel('Role of Bob')
        .selectOption('viewer');
      await settles(() => ada.getByRole('status').textContent(), 'Bob is now a viewer.');

      await hidden(bob.getByRole('form', { name: 'New task' }));
      await settles(() => bob.getByRole('status').textContent(), 'Your role in “Weekend groceries” is now viewer.');
      await visible(bob.getByText('You can view this list.'));
      expect(await bob.getByRole('button', { name: /^(Edit|Delete): / }).count()).toBe(0);
      expect(await bob.getByRole('button', { name: 'Mark all as complete' }).count()).toBe(0);
      expect(await bob.getByRole('checkbox', { name: 'Completed: Buy cheese' }).isDisabled()).toBe(true);
      await settles(() => titles(bob), ['Buy cheese', 'Buy bread']);
      await fitsPhone();
      await bob.screenshot({ path: join(ARTIFACTS, 'shared-viewer-375.png'), fullPage: true });
    });
  });

  it('Ada, the owner, adds a webhook, sees its secret once and its refused delivery; Bob, a viewer, has no such panel', async () => {
    await step('webhooks', async () => {
      expect(await bob.getByRole('button', { name: 'Webhooks' }).count()).toBe(0);
      const panel = ada.getByRole('region', { name: 'Webhooks' });
      await panel.getByRole('button', { name: 'Webhooks' }).click();
      await visible(panel.getByText('No endpoints yet.'));

      // Plain http is refused at delivery (never sent), which gives the log a finished, failed entry.
      const url = 'http://127.0.0.1:9/hooks/groceries';
      const form = panel.getByRole('form', { name: 'New webhook' });
      await form.getByLabel('Endpoint URL').fill('not a url');
      await form.getByRole('button', { name: 'Add webhook' }).click();
      await visible(form.getByText(/^Endpoint URL /));
      await form.getByLabel('Endpoint URL').fill(url);
      await form.getByLabel('Description (optional)').fill('Kitchen display');
      await form.getByRole('button', { name: 'Add webhook' }).click();
      const secret = panel.getByLabel(`Signing secret for ${url}`);
      expect(await secret.inputValue()).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      await settles(
        () => panel.getByRole('list', { name: 'Webhook endpoints' }).locator('.webhook-url').allTextContents(),
        [url],
      );
      await panel.getByRole('button', { name: 'Done' }).click();
      await hidden(secret);
      // Shown once: the panel drawn again has no secret anywhere.
      await ada.reload();
      await ada.getByRole('button', { name: 'Webhooks' }).click();
      await visible(panel.getByText('Kitchen display', { exact: false }));
      expect(await ada.locator('input[name=secret]').count()).toBe(0);

      await addTask(ada, 'Buy milk');
      await panel.getByRole('button', { name: `Deliveries to ${url}` }).click();
      const log = panel.getByRole('list', { name: `Deliveries to ${url}` });
      // The dispatcher polls every second: read the log again until the delivery is in it.
      await settles(async () => {
        await panel.getByRole('button', { name: 'Refresh' }).click();
        return log.locator('.delivery-status').allTextContents();
      }, ['refused']);
      await log.getByRole('button', { name: 'Retry task.created (refused)' }).click();
      await settles(() => ada.getByRole('status').textContent(), 'Retrying the task.created delivery.');
      await settles(async () => {
        await panel.getByRole('button', { name: 'Refresh' }).click();
        return /^2 attempts/.test((await log.locator('.delivery .meta').textContent()) ?? '');
      }, true);

      await panel.getByRole('button', { name: `Turn off ${url}` }).click();
      await settles(() => ada.getByRole('status').textContent(), `Turned off ${url}.`);
      await visible(panel.getByRole('button', { name: `Turn on ${url}` }));
      await panel.getByRole('button', { name: `Delete ${url}` }).click();
      await ada
        .getByRole('dialog', { name: /^Delete the webhook/ })
        .getByRole('button', { name: 'Delete' })
        .click();
      await visible(panel.getByText('No endpoints yet.'));
    });
  });

  it('Ada removes Bob: his page says the list is gone and shows his Inbox without any action of his', async () => {
    await step('remove', async () => {
      const members = ada.getByRole('region', { name: /^Members/ });
      await members.getByRole('button', { name: 'Remove Bob' }).click();
      const confirm = ada.getByRole('dialog', { name: /^Remove Bob/ });
      await confirm.getByRole('button', { name: 'Remove' }).click();
      await settles(() => ada.getByRole('status').textContent(), 'Removed Bob from “Weekend groceries”.');
      await hidden(members.getByText('Bob'));

      await visible(
        bob.getByRole('alert').filter({
          hasText: '“Weekend groceries” is no longer available to you: it was deleted, or you were removed',
        }),
      );
      await settles(() => heading(bob).textContent(), 'Inbox');
      await settles(() => sidebar(bob).getByRole('link').allTextContents(), ['Inbox']);
      await fitsPhone();
    });
  });

  it('Bob comes back through a viewer link, then leaves the list himself', async () => {
    await step('leave', async () => {
      await ada.getByRole('button', { name: 'Share' }).click();
      const dialog = ada.getByRole('dialog', { name: 'Share “Weekend groceries”' });
      await dialog.getByLabel('Role').selectOption('viewer');
      await dialog.getByRole('button', { name: 'Create link' }).click();
      const linkInput = dialog.getByLabel('Invitation link');
      await settles(async () => /#\/invite\/.+/.test(await linkInput.inputValue()), true);
      const viewerLink = await linkInput.inputValue();
      await ada.keyboard.press('Escape');
      await hidden(dialog);

      await bob.goto(viewerLink);
      await bob.getByRole('button', { name: 'Join list' }).click();
      await settles(() => bob.getByRole('status').textContent(), 'You joined “Weekend groceries” as a viewer.');
      await visible(bob.getByText('You can view this list.'));
      await bob.getByRole('button', { name: 'Leave list' }).click();
      await bob
        .getByRole('dialog', { name: /^Leave “Weekend groceries”/ })
        .getByRole('button', { name: 'Leave' })
        .click();
      await settles(() => bob.getByRole('status').textContent(), 'You left “Weekend groceries”.');
      await settles(() => sidebar(bob).getByRole('link').allTextContents(), ['Inbox']);
      await fitsPhone();

      // The owner has no way out but a transfer or a deletion: no "Leave list" for her.
      await ada.reload();
      await settles(() => heading(ada).textContent(), 'Weekend groceries');
      expect(await ada.getByRole('button', { name: 'Leave list' }).count()).toBe(0);
    });
  });

  it('Ada deletes the list after confirming; the Inbox is shown again', async () => {
    await step('delete', async () => {
      await ada.getByRole('button', { name: 'Delete list' }).click();
      const confirm = ada.getByRole('dialog', { name: /^Delete “Weekend groceries”/ });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await settles(() => heading(ada).textContent(), 'Weekend groceries');

      await ada.getByRole('button', { name: 'Delete list' }).click();
      await confirm.getByRole('button', { name: 'Delete list' }).click();
      await settles(() => ada.getByRole('status').textContent(), 'Deleted “Weekend groceries”.');
      await settles(() => heading(ada).textContent(), 'Inbox');
      await settles(() => sidebar(ada).getByRole('link').allTextContents(), ['Inbox']);
      expect(harness.consoleLines.filter((line) => line.startsWith('[pageerror]'))).toEqual([]);
    });
  });
});
