import { h } from './dom.js';

/**
 * A modal question with the safe answer focused first (a `<dialog>`: the
 * browser keeps focus inside and Escape cancels). Resolves `true` on confirm.
 */
export function confirmDialog(question: string, confirmLabel: string): Promise<boolean> {
  const opener = document.activeElement as HTMLElement | null;
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const confirm = h('button', { type: 'button', class: 'danger' }, confirmLabel);
  const text = h('p', { id: 'confirm-text' }, question);
  const dialog = h(
    'dialog',
    { 'aria-labelledby': 'confirm-text' },
    text,
    h('div', { class: 'buttons' }, cancel, confirm),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    const done = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      opener?.focus();
      resolve(answer);
    };
    cancel.addEventListener('click', () => done(false));
    confirm.addEventListener('click', () => done(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      done(false);
    });
    dialog.showModal();
    cancel.focus();
  });
}
