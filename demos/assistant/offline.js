// The online/offline indicator (#offline[data-online]): navigator.onLine and its events.
import { byId } from './dom.js';

/** @param {(online: boolean) => void} [onChange] */
export function watchOnline(onChange) {
  const el = byId('offline');
  const show = () => {
    const online = navigator.onLine;
    el.dataset.online = String(online);
    el.textContent = online ? 'Online' : 'Offline';
    el.title = online
      ? 'Connected: requests may go to the remote endpoint when the policy allows it.'
      : 'No network: answers come from the model stored on this device.';
    document.documentElement.classList.toggle('is-offline', !online);
    onChange?.(online);
  };
  addEventListener('online', show);
  addEventListener('offline', show);
  show();
}
