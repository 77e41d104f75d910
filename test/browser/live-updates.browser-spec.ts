import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { type Harness, PASSWORD, settles, startHarness, visible } from './browser-harness.js';

/**
 * Live updates (`GET /api/events` with a ticket, `GET /api/changes` to
 * resume): Ada's two tabs follow each other, Bob sees what Ada does in the
 * list they share and loses it the moment she removes him, and a page
 * reconnects after the API restarts and catches up with what it missed.
 * Nothing here reloads a page: each page carries a mark that a reload would
 * wipe, and the last test checks it is still there.
 */
jest.setTimeout(60_000);

/** Live changes cross two processes and a stream: generous, but polled, never slept. */
const LIVE_MS = 20_000;

describe('live updates in Chromium', () => {
  let harness: Harness;
  let ada: Page;
  let adaTab2: Page;
  let bob: Page;
  let listId: string;
  const stamp = Date.now();
  const step = (name: string, body: () => Promise<void>) => harness.step(`live ${name}`, body);

  beforeAll(async () => {
    harness = await startHarness();
    ada = await (await harness.newContext()).newPage();
    bob = await (await harness.newContext()).newPage();
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  const titles = (on: Page) => on.locator('ul.tasks > li.task .title').allTextContents();
  const sidebar = (on: Page) => on.getByRole('navigation', { name: 'Lists' }).getByRole('link').allTextContents();
  const heading = (on: Page) => on.locator('#list-heading').textContent();
  const checked = (on: Page, title: string) => on.getByRole('checkbox', { name: `Completed: ${title}` }).isChecked();
  const accessToken = (on: Page) =>
    on.evaluate<string>('JSON.parse(localStorage.getItem("taskwell.session")).accessToken');
  /** A mark on the page's window: a reload would lose it. */
  const mark = (on: Page) => on.evaluate('window.notReloaded = true');
  const marked = (on: Page) => on.evaluate<boolean>('window.notReloaded === true');

  async function signUp(on: Page, name: string): Promise<void> {
    await on.getByRole('button', { name: 'New here? Create an account' }).click();
    const form = on.getByRole('form', { name: 'Create an account' });
    await form.getByLabel('Name (optional)').fill(name);
    await form.getByLabel('Email').fill(`${name.toLowerCase()}-live-${stamp}@example.com`);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Create account' }).click();
    await visible(on.getByText(`Signed in as ${name}`));
  }

  async function addTask(on: Page, title: string): Promise<void> {
    const form = on.getByRole('form', { name: 'New task' });
    await form.getByLabel('Title').fill(title);
    await form.getByRole('button', { name: 'Add task' }).click();
  }

  /** A call to the API as the user signed in on `on`, as another client of theirs would make it. */
  async function api(on: Page, method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${harness.api.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await accessToken(on)}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  it('a task added in one of Ada’s tabs appears in the other, and its completion comes back', async () => {
    await step('tabs', async () => {
      await ada.goto(harness.webUrl);
      await signUp(ada, 'Ada');
      const newList = ada.getByRole('form', { name: 'New list' });
      await newList.getByLabel('List name').fill('Chores');
      await newList.getByRole('button', { name: 'Create list' }).click();
      await settles(() => heading(ada), 'Chores');
      listId = decodeURIComponent(new URL(ada.url()).hash.split('/')[2]);

      // The second tab shares the first one's session (localStorage).
      adaTab2 = await ada.context().newPage();
      await adaTab2.goto(ada.url());
      await settles(() => heading(adaTab2), 'Chores');
      await settles(() => titles(adaTab2), []);
      await mark(ada);
      await mark(adaTab2);

      await addTask(ada, 'Water the plants');
      await settles(() => titles(ada), ['Water the plants']);
      await settles(() => titles(adaTab2), ['Water the plants'], LIVE_MS);

      await adaTab2.getByRole('checkbox', { name: 'Completed: Water the plants' }).check();
      await settles(() => checked(ada, 'Water the plants'), true, LIVE_MS);
      await settles(() => ada.locator('.items-left').textContent(), '0 items left', LIVE_MS);

      // A rename reaches the other tab's heading and sidebar.
      await ada.getByRole('button', { name: 'Rename' }).click();
      const rename = ada.getByRole('form', { name: 'Rename list: Chores' });
      await rename.getByLabel('List name').fill('House chores');
      await rename.getByRole('button', { name: 'Save' }).click();
      await settles(() => heading(adaTab2), 'House chores', LIVE_MS);
      await settles(() => sidebar(adaTab2), ['Inbox', 'House chores'], LIVE_MS);
      expect(await marked(adaTab2)).toBe(true);
      await adaTab2.close();
    });
  });

  it('Bob, a member of Ada’s list, sees her tasks come and go, and she sees his', async () => {
    await step('shared', async () => {
      await bob.goto(harness.webUrl);
      await signUp(bob, 'Bob');
      const invitation = await api(ada, 'POST', `/api/lists/${listId}/invitations`, { role: 'editor' });
      expect(invitation.status).toBe(201);
      const { data } = (await invitation.json()) as { data: { token: string } };
      await bob.goto(`${harness.webUrl}/#/invite/${encodeURIComponent(data.token)}`);
      await bob.getByRole('button', { name: 'Join list' }).click();
      await settles(() => heading(bob), 'House chores');
      await settles(() => titles(bob), ['Water the plants']);
      await mark(bob);
      // Ada's page learns of its new member by itself.
      await visible(ada.getByRole('region', { name: /^Members/ }).getByText('Bob'));

      await addTask(ada, 'Take out the bins');
      await settles(() => titles(bob), ['Take out the bins', 'Water the plants'], LIVE_MS);
      await addTask(bob, 'Fix the tap');
      await settles(() => titles(ada), ['Fix the tap', 'Take out the bins', 'Water the plants'], LIVE_MS);
      await ada.getByRole('button', { name: 'Delete: Take out the bins' }).click();
      await settles(() => titles(bob), ['Fix the tap', 'Water the plants'], LIVE_MS);
      expect(await marked(bob)).toBe(true);
    });
  });

  it('Ada removes Bob: his page drops the list and its tasks without any action of his', async () => {
    await step('removed', async () => {
      const members = ada.getByRole('region', { name: /^Members/ });
      await members.getByRole('button', { name: 'Remove Bob' }).click();
      await ada
        .getByRole('dialog', { name: /^Remove Bob/ })
        .getByRole('button', { name: 'Remove' })
        .click();
      await settles(() => ada.getByRole('status').textContent(), 'Removed Bob from “House chores”.');

      await settles(() => sidebar(bob), ['Inbox'], LIVE_MS);
      await settles(() => heading(bob), 'Inbox');
      await settles(() => titles(bob), []);
      await visible(bob.getByRole('alert').filter({ hasText: '“House chores” is no longer available to you' }));
      expect(await marked(bob)).toBe(true);
    });
  });

  it('after the API restarts, the page reconnects and shows what changed while it was away', async () => {
    await step('restart', async () => {
      await settles(() => titles(ada), ['Fix the tap', 'Water the plants']);
      // The page cannot open a new stream until the change below is made: it must come from the feed.
      await ada.route('**/api/events/tickets', (route) => route.abort());
      await harness.restartApi();
      const created = await api(ada, 'POST', `/api/lists/${listId}/tasks`, { title: 'Made while away' });
      expect(created.status).toBe(201);
      const traffic = harness.traffic.length;
      await ada.unroute('**/api/events/tickets');

      await settles(() => titles(ada), ['Made while away', 'Fix the tap', 'Water the plants'], 30_000);
      expect(harness.traffic.slice(traffic)).toEqual(
        expect.arrayContaining(['POST /api/events/tickets 201', 'GET /api/events 200', 'GET /api/changes 200']),
      );

      // And the new stream carries what comes next.
      const completed = await api(ada, 'GET', `/api/lists/${listId}/tasks?q=tap`);
      const { data } = (await completed.json()) as { data: Array<{ id: string }> };
      await api(ada, 'PATCH', `/api/lists/${listId}/tasks/${data[0].id}/complete`, { completed: true });
      await settles(() => checked(ada, 'Fix the tap'), true, LIVE_MS);
      expect(await marked(ada)).toBe(true);
      expect(harness.consoleLines.filter((line) => line.startsWith('[pageerror]'))).toEqual([]);
    });
  });
});
