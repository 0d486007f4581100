// Registers /sw.js (the server maps it to demos/assistant/sw.js) with scope `/`, so the
// app shell and the SDK's runtime files open offline after one online visit.

/** @param {(text: string) => void} notify */
export async function registerServiceWorker(notify) {
  if (!('serviceWorker' in navigator)) { notify('This browser has no service workers: the app needs the network to open.'); return; }
  const hadController = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // A new version took over (sw.js activates at once); the page itself is still the old one.
    if (hadController) notify('A new version of the app is installed: reload to use it.');
  });
  navigator.serviceWorker.addEventListener('message', (e) => {
    // sw.js found files that changed on the server (a rebuilt SDK) and stored the new ones.
    if (e.data?.type === 'edgewise-assistant:updated') notify(`Updated files are stored (${e.data.paths.length}): reload to use them.`);
  });
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    await navigator.serviceWorker.ready;
    document.body.dataset.offlineReady = 'true';
  } catch (e) {
    console.warn('edgewise assistant: service worker registration failed; the app will need the network to open.', e);
  }
}
