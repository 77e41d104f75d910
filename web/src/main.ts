import { renderAuth } from './auth-view.js';
import { configureClient, onSessionChange, onSessionEnded, readSession } from './session.js';
import './style.css';
import { renderTasks } from './tasks-view.js';

const root = document.getElementById('app') as HTMLElement;

let signedIn = false;

function show(notice?: string): void {
  signedIn = readSession() !== undefined;
  if (signedIn) renderTasks(root, () => show());
  else renderAuth(root, () => show(), notice);
}

configureClient();
onSessionEnded(() => show('Your session has ended. Please sign in again.'));
// Signing in or out in another tab switches this one too (a refresh there changes nothing here).
onSessionChange(() => {
  if ((readSession() !== undefined) !== signedIn) show();
});
show();
