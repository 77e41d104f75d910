import type { FieldErrorDto, ProblemDetailsDto } from './api/types.gen.js';

/** What the API said went wrong, in a form a person can read. */
export interface Problem {
  status: number;
  detail: string;
  errors: FieldErrorDto[];
}

/** An RFC 9457 body from the API, or a message for what was not one (a network failure, a proxy's page). */
export function toProblem(error: unknown, response?: Response): Problem {
  const body = error as Partial<ProblemDetailsDto> & { errors?: FieldErrorDto[] };
  if (body && typeof body === 'object' && typeof body.detail === 'string') {
    return { status: body.status ?? response?.status ?? 0, detail: body.detail, errors: body.errors ?? [] };
  }
  if (!response) return { status: 0, detail: 'The service could not be reached. Check your connection.', errors: [] };
  return { status: response.status, detail: `The service answered ${response.status}.`, errors: [] };
}

/** The field names of a form's controls, so a problem's field errors land next to the right control. */
function controlsOf(form: HTMLFormElement): Map<string, HTMLElement> {
  const controls = new Map<string, HTMLElement>();
  for (const element of Array.from(form.elements)) {
    const name = (element as HTMLInputElement).name;
    if (name) controls.set(name, element as HTMLElement);
  }
  return controls;
}

/** Clears a form's previous errors. */
export function clearProblem(form: HTMLFormElement): void {
  form.querySelectorAll<HTMLElement>('.field-error').forEach((element) => {
    element.hidden = true;
    element.textContent = '';
  });
  form.querySelectorAll('[aria-invalid]').forEach((element) => element.removeAttribute('aria-invalid'));
  const summary = form.querySelector<HTMLElement>('.form-error');
  if (summary) summary.hidden = true;
}

/**
 * Shows a problem on a form: each field error next to its control (linked
 * with aria-describedby, focus on the first), the rest in the form's summary.
 */
export function showProblem(form: HTMLFormElement, problem: Problem): void {
  clearProblem(form);
  const controls = controlsOf(form);
  const unplaced: string[] = [];
  let first: HTMLElement | undefined;
  for (const { field, message } of problem.errors) {
    const control = controls.get(field);
    const slot = control && form.querySelector<HTMLElement>(`#${CSS.escape(control.id)}-error`);
    if (!control || !slot) {
      unplaced.push(`${field} ${message}`);
      continue;
    }
    slot.textContent = `${labelOf(control)} ${message}`;
    slot.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', slot.id);
    first ??= control;
  }
  const summary = form.querySelector<HTMLElement>('.form-error');
  if (summary && (problem.errors.length === 0 || unplaced.length > 0)) {
    summary.textContent = problem.errors.length === 0 ? problem.detail : unplaced.join('; ');
    summary.hidden = false;
  }
  first?.focus();
}

function labelOf(control: HTMLElement): string {
  return control.id ? (document.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent ?? '') : '';
}
