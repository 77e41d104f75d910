import {
  webhooksCreate,
  webhooksDeliveries,
  webhooksList,
  webhooksRemove,
  webhooksRetry,
  webhooksUpdate,
} from './api/sdk.gen.js';
import type { DeliveryResponseDto, WebhookEvent, WebhookResponseDto } from './api/types.gen.js';
import { confirmDialog } from './confirm-dialog.js';
import { field, h, uid } from './dom.js';
import type { TaskList } from './lists-api.js';
import { clearProblem, type Problem, showProblem, toProblem } from './problem.js';
import { authed } from './session.js';

const EVENTS: WebhookEvent[] = [
  'task.created',
  'task.updated',
  'task.completed',
  'task.reopened',
  'task.deleted',
  'list.updated',
  'list.deleted',
  'member.added',
  'member.removed',
  'member.role_changed',
];

const DISABLED_BECAUSE = { gone: 'the receiver answered 410 Gone', failing: 'deliveries kept failing' } as const;

export interface WebhooksContext {
  list: TaskList;
  say(message: string): void;
  fail(problem: Problem): void;
}

/**
 * A list's webhook endpoints, for its admins and owner (the page shows it to
 * no one else; the API checks again): add one (its signing secret is shown
 * this once), turn it on or off, delete it, and read its delivery log with a
 * retry for a delivery that failed or was refused. Folded until opened, so a
 * list's page costs no request for it; a `404` means the service has
 * webhooks turned off.
 */
export function webhooksPanel(context: WebhooksContext): HTMLElement {
  const { list, say } = context;
  const listId = list.id;
  const bodyId = uid('webhooks');
  const opener = h(
    'button',
    { type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': bodyId, onclick: () => void open() },
    'Webhooks',
  );
  const endpoints = h('ul', { class: 'webhook-list', 'aria-label': 'Webhook endpoints' });
  const secretBox = h('div', { class: 'secret', hidden: true });
  const body = h('div', { id: bodyId, hidden: true }, endpoints, secretBox, createForm());

  async function open(): Promise<void> {
    const expand = body.hidden;
    opener.setAttribute('aria-expanded', String(expand));
    body.hidden = !expand;
    if (expand) await load();
  }

  async function load(): Promise<void> {
    const { data, error, response } = await authed(() => webhooksList({ path: { listId } }));
    if (!data) {
      if (response?.status === 404)
        return void body.replaceChildren(h('p', {}, 'This service has webhooks turned off.'));
      return context.fail(toProblem(error, response));
    }
    endpoints.replaceChildren(...data.data.map(row));
    if (data.data.length === 0) endpoints.append(h('li', { class: 'empty' }, 'No endpoints yet.'));
  }

  // ---- one endpoint ----------------------------------------------------------------------------
  function row(endpoint: WebhookResponseDto): HTMLLIElement {
    const state = endpoint.enabled
      ? 'On'
      : `Off${endpoint.disabledReason ? `: ${DISABLED_BECAUSE[endpoint.disabledReason]}` : ''}`;
    const log = h('div', { class: 'deliveries', hidden: true });
    const showLog = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-expanded': 'false',
        'aria-label': `Deliveries to ${endpoint.url}`,
        onclick: () => {
          const expand = log.hidden;
          showLog.setAttribute('aria-expanded', String(expand));
          log.hidden = !expand;
          if (expand) void deliveries(endpoint, log);
        },
      },
      'Deliveries',
    );
    const toggle = endpoint.enabled ? 'Turn off' : 'Turn on';
    return h(
      'li',
      { class: 'webhook' },
      h(
        'div',
        { class: 'webhook-body' },
        h('span', { class: 'webhook-url' }, endpoint.url),
        h(
          'span',
          { class: 'meta' },
          [state, endpoint.description, endpoint.events.join(', ')].filter(Boolean).join(' · '),
        ),
      ),
      h(
        'span',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-label': `${toggle} ${endpoint.url}`,
            onclick: () => void setEnabled(endpoint, !endpoint.enabled),
          },
          toggle,
        ),
        showLog,
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            'aria-label': `Delete ${endpoint.url}`,
            onclick: () => void remove(endpoint),
          },
          'Delete',
        ),
      ),
      log,
    );
  }

  async function setEnabled(endpoint: WebhookResponseDto, enabled: boolean): Promise<void> {
    const { data, error, response } = await authed(() =>
      webhooksUpdate({ path: { listId, webhookId: endpoint.id }, body: { enabled } }),
    );
    if (!data) return context.fail(toProblem(error, response));
    say(`${enabled ? 'Turned on' : 'Turned off'} ${endpoint.url}.`);
    await load();
  }

  async function remove(endpoint: WebhookResponseDto): Promise<void> {
    if (!(await confirmDialog(`Delete the webhook to ${endpoint.url} and its delivery log?`, 'Delete'))) return;
    const { error, response } = await authed(() => webhooksRemove({ path: { listId, webhookId: endpoint.id } }));
    if (response?.status !== 204) return context.fail(toProblem(error, response));
    say(`Deleted the webhook to ${endpoint.url}.`);
    await load();
  }

  // ---- its delivery log ------------------------------------------------------------------------
  async function deliveries(endpoint: WebhookResponseDto, log: HTMLElement): Promise<void> {
    const { data, error, response } = await authed(() =>
      webhooksDeliveries({ path: { listId, webhookId: endpoint.id }, query: { limit: 20 } }),
    );
    if (!data) return context.fail(toProblem(error, response));
    const refresh = h(
      'button',
      { type: 'button', class: 'link', onclick: () => void deliveries(endpoint, log) },
      'Refresh',
    );
    log.replaceChildren(
      h(
        'p',
        { class: 'meta' },
        `${data.meta.total} ${data.meta.total === 1 ? 'delivery' : 'deliveries'}, newest first `,
        refresh,
      ),
      h(
        'ul',
        { class: 'delivery-list', 'aria-label': `Deliveries to ${endpoint.url}` },
        ...data.data.map((delivery) => deliveryRow(endpoint, delivery, log)),
      ),
    );
  }

  function deliveryRow(endpoint: WebhookResponseDto, delivery: DeliveryResponseDto, log: HTMLElement): HTMLLIElement {
    const result = delivery.lastStatusCode ? `HTTP ${delivery.lastStatusCode}` : (delivery.lastError ?? '');
    const when = new Date(delivery.lastAttemptAt ?? delivery.createdAt).toLocaleString();
    const attempts = `${delivery.attempts} ${delivery.attempts === 1 ? 'attempt' : 'attempts'}`;
    // A finished delivery that did not succeed gets one more attempt on request.
    const retryable = delivery.status === 'failed' || delivery.status === 'refused';
    return h(
      'li',
      { class: `delivery ${delivery.status}` },
      h('span', { class: 'delivery-type' }, delivery.type),
      h('span', { class: 'delivery-status' }, delivery.status),
      h('span', { class: 'meta' }, [attempts, result, when].filter(Boolean).join(' · ')),
      retryable &&
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-label': `Retry ${delivery.type} (${delivery.status})`,
            onclick: () => void retry(endpoint, delivery, log),
          },
          'Retry',
        ),
    );
  }

  async function retry(endpoint: WebhookResponseDto, delivery: DeliveryResponseDto, log: HTMLElement): Promise<void> {
    const { error, response } = await authed(() =>
      webhooksRetry({ path: { listId, webhookId: endpoint.id, deliveryId: delivery.id } }),
    );
    if (response?.status !== 202) return context.fail(toProblem(error, response));
    say(`Retrying the ${delivery.type} delivery.`);
    await deliveries(endpoint, log);
  }

  // ---- a new endpoint --------------------------------------------------------------------------
  function createForm(): HTMLFormElement {
    const url = h('input', { name: 'url', type: 'url', required: true, maxlength: 2048, autocomplete: 'off' });
    const description = h('input', { name: 'description', maxlength: 500, autocomplete: 'off' });
    const boxes = EVENTS.map((value) => h('input', { type: 'checkbox', name: 'events', value, checked: true }));
    const form = h(
      'form',
      { class: 'new-webhook', 'aria-label': 'New webhook', novalidate: true },
      h('p', { class: 'form-error', role: 'alert', hidden: true }),
      field('Endpoint URL', url, 'HTTPS; it receives each change as a signed POST.'),
      field('Description (optional)', description),
      h(
        'fieldset',
        { class: 'webhook-events' },
        h('legend', {}, 'Events'),
        ...boxes.map((box) => h('label', {}, box, ` ${box.value}`)),
      ),
      h('button', { type: 'submit' }, 'Add webhook'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        const events = boxes.filter((box) => box.checked).map((box) => box.value as WebhookEvent);
        const { data, error, response } = await authed(() =>
          webhooksCreate({
            path: { listId },
            body: { url: url.value.trim(), events, description: description.value.trim() || null },
          }),
        );
        if (!data) return showProblem(form, toProblem(error, response));
        clearProblem(form);
        form.reset();
        say(`Added a webhook to ${data.data.url}.`);
        await load();
        showSecret(data.data.url, data.data.secret);
      })();
    });
    return form;
  }

  /** The signing secret, this once: the API stores it encrypted and never returns it again. */
  function showSecret(url: string, secret: string): void {
    const input = h('input', { name: 'secret', readonly: true, value: secret, autocomplete: 'off' });
    const copied = h('span', { class: 'status', role: 'status' });
    const copy = async () => {
      try {
        await navigator.clipboard.writeText(secret);
      } catch {
        input.select();
        document.execCommand('copy');
      }
      copied.textContent = 'Secret copied.';
    };
    secretBox.replaceChildren(
      field(`Signing secret for ${url}`, input, 'Shown only now: put it in the receiver, which checks each signature.'),
      h('button', { type: 'button', onclick: () => void copy() }, 'Copy secret'),
      h('button', { type: 'button', class: 'secondary', onclick: () => hideSecret() }, 'Done'),
      copied,
    );
    secretBox.hidden = false;
    input.focus();
    input.select();
  }

  function hideSecret(): void {
    secretBox.replaceChildren();
    secretBox.hidden = true;
    opener.focus();
  }

  return h(
    'section',
    { class: 'webhooks', 'aria-labelledby': `${bodyId}-heading` },
    h('h3', { id: `${bodyId}-heading` }, opener),
    body,
  );
}
