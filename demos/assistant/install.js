// The install button. Chromium fires `beforeinstallprompt` when the app can be installed
// (manifest with PNG icons, service worker, not installed yet); only then is the button
// shown. A click opens the browser's own dialog (`prompt()` may be called once per event),
// and the button hides again, as it does on `appinstalled`. Browsers without the event
// (Firefox, Safari: Share → Add to Home Screen) never show it.
// https://developer.mozilla.org/docs/Web/API/BeforeInstallPromptEvent

/**
 * Not in TypeScript's DOM library: Chromium only.
 * @typedef {Event & { prompt(): Promise<unknown>, userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }> }} BeforeInstallPromptEvent
 */

/**
 * Shows `button` while the browser offers to install the app. The outcome is left on
 * `document.body.dataset.install` ('accepted' | 'dismissed' | 'installed').
 * @param {HTMLButtonElement} button
 * @param {EventTarget} target where the install events fire
 */
export function wireInstallButton(button, target = window) {
  /** @type {BeforeInstallPromptEvent | undefined} */
  let offer;
  const hide = () => { offer = undefined; button.hidden = true; };

  target.addEventListener('beforeinstallprompt', (e) => {
    // The button is how this app asks; without this Chromium may show its own mini-infobar.
    e.preventDefault();
    offer = /** @type {BeforeInstallPromptEvent} */ (e);
    button.hidden = false;
  });
  target.addEventListener('appinstalled', () => {
    hide();
    document.body.dataset.install = 'installed';
  });
  button.addEventListener('click', async () => {
    const event = offer;
    hide();
    if (!event) return;
    try {
      await event.prompt();
      document.body.dataset.install = (await event.userChoice).outcome;
    } catch (e) {
      // An event already used or expired: the next `beforeinstallprompt` shows the button again.
      console.warn('edgewise assistant: the install prompt could not open.', e);
    }
  });
}

wireInstallButton(/** @type {HTMLButtonElement} */ (document.getElementById('install')));
