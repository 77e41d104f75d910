import { renderApp } from './app-view.js';
import { renderAuth } from './auth-view.js';
import { renderInvite } from './invite-view.js';
import { follow, startLive, stopLive } from './live.js';
import { currentRoute, forgetInvite, onRoute, pendingInvite, rememberInvite } from './router.js';
import { configureClient, onSessionChange, onSessionEnded, readSession } from './session.js';
import './style.css';

const root = document.getElementById('app') as HTMLElement;

let signedIn = false;

/** `moved`: shown after a navigation in the app, so the focus goes to what is new. */
function show(notice?: string, moved = false): void {
  signedIn = readSession() !== undefined;
  // The page being replaced stops taking changes; the stream runs while someone is signed in.
  follow(undefined);
  if (signedIn) startLive();
  else stopLive();
  const route = currentRoute();
  // An invitation survives signing in or creating an account (and a reload meanwhile) in this tab.
  if (route.page === 'invite') rememberInvite(route.token);
  const invite = route.page === 'invite' ? route.token : pendingInvite();
  if (!signedIn) {
    renderAuth(
      root,
      () => show(),
      notice ?? (invite ? 'Sign in, or create an account, to join the list you were invited to.' : undefined),
    );
  } else if (invite && route.page === 'invite') {
    renderInvite(root, invite);
  } else if (invite && route.page === 'lists' && !route.listId) {
    // Signed in from the start page with an invitation waiting (the fragment was lost): offer it still.
    renderInvite(root, invite);
  } else {
    // Signing out drops an invitation nobody acted on: the next person at this tab did not get it.
    renderApp(
      root,
      route.page === 'lists' ? route.listId : undefined,
      () => {
        forgetInvite();
        show();
      },
      moved,
    );
  }
}

configureClient();
onSessionEnded(() => show('Your session has ended. Please sign in again.'));
// Signing in or out in another tab switches this one too (a refresh there changes nothing here).
onSessionChange(() => {
  if ((readSession() !== undefined) !== signedIn) show();
});
onRoute(() => show(undefined, true));
show();
