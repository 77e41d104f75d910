type Attributes = Record<string, string | number | boolean | undefined | EventListener>;
type Child = Node | string | false | null | undefined;

/**
 * `h('button', { type: 'button', onclick: save }, 'Save')`: an element with
 * attributes, listeners (`on…`) and children. Text is always a text node, so
 * nothing from the API is ever parsed as HTML.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

let counter = 0;

/** A unique id for label/field/error associations. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A labelled input, textarea or select, with an empty slot for its error right after it. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  hint?: string,
): HTMLDivElement {
  control.id ||= uid(control.name || 'field');
  const error = h('p', { class: 'field-error', id: `${control.id}-error`, hidden: true });
  const hintElement = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : undefined;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintElement, error);
}

export function option(value: string, label: string, selected = false): HTMLOptionElement {
  return h('option', { value, selected }, label);
}
