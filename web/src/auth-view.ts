import { authLogin, authRegister } from './api/sdk.gen.js';
import { field, h } from './dom.js';
import { clearProblem, showProblem, toProblem } from './problem.js';
import { saveSession } from './session.js';

/** Sign in, or create an account; `notice` explains why the user is here again (a session that ended). */
export function renderAuth(root: HTMLElement, onSignedIn: () => void, notice?: string): void {
  let registering = false;

  const name = h('input', { name: 'name', autocomplete: 'name', maxlength: 100 });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true });
  const password = h('input', { name: 'password', type: 'password', required: true });
  const nameField = field('Name (optional)', name);
  const submit = h('button', { type: 'submit' });
  const heading = h('h2', { id: 'auth-heading' });
  const switcher = h('button', { type: 'button', class: 'link', onclick: () => setMode(!registering) });
  const form = h(
    'form',
    { 'aria-labelledby': 'auth-heading', novalidate: true },
    heading,
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    nameField,
    field('Email', email),
    field('Password', password, 'At least 8 characters; not a common password.'),
    submit,
  );

  function setMode(register: boolean): void {
    registering = register;
    heading.textContent = register ? 'Create an account' : 'Sign in';
    submit.textContent = register ? 'Create account' : 'Sign in';
    switcher.textContent = register ? 'I have an account: sign in' : 'New here? Create an account';
    nameField.hidden = !register;
    password.autocomplete = register ? 'new-password' : 'current-password';
    clearProblem(form);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      submit.disabled = true;
      try {
        const credentials = { email: email.value, password: password.value };
        const { data, error, response } = registering
          ? await authRegister({ body: { ...credentials, ...(name.value.trim() && { name: name.value }) } })
          : await authLogin({ body: credentials });
        if (!data) return showProblem(form, toProblem(error, response));
        saveSession(data.data.user, data.data.tokens);
        onSignedIn();
      } catch (failure) {
        showProblem(form, toProblem(failure));
      } finally {
        submit.disabled = false;
      }
    })();
  });

  setMode(false);
  root.replaceChildren(
    h('header', {}, h('h1', {}, 'Taskwell')),
    h('p', { class: 'notice', role: 'status' }, notice ?? ''),
    form,
    h('p', {}, switcher),
  );
  email.focus();
}
