/**
 * "Notify me on this device": the dashboard's switch for Web Push. On:
 * permission, the service worker (/sw.js), PushManager.subscribe() with the
 * daemon's VAPID key, and the subscription POSTed to the daemon. Off:
 * unsubscribe and DELETE. Every way it can fail (no service worker, not a
 * secure context, permission denied, no push service) ends in one clear line
 * beside the button, never a thrown error.
 */
import type { Api } from '../api.js';
import { h, icon } from '../dom.js';

/** A bell, and a bell with sound waves for "on" (SVG path data). */
const BELL = 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4l2-2zM10 20a2 2 0 0 0 4 0';
const BELL_ON = `${BELL}M3 7a9 9 0 0 1 2.5-4M21 7a9 9 0 0 0-2.5-4`;
import { base64UrlBytes, deviceName } from '../push-payload.js';

export interface NotifyControl {
  /** The button, for the header. */
  readonly el: HTMLElement;
  /** Its message line, under the header (empty until there is something to say). */
  readonly message: HTMLElement;
  /** Owners may subscribe; read-only logins do not see the control. */
  setOwner(owner: boolean): void;
}

/** Why push cannot work in this browser at all, or null when it might. */
function unavailable(win: Window): string | null {
  if (!win.isSecureContext) return 'Notifications need HTTPS (or localhost).';
  if (!('serviceWorker' in win.navigator)) return 'This browser has no service workers, so no notifications.';
  if (!('PushManager' in win) || !('Notification' in win)) return 'This browser cannot receive push notifications.';
  return null;
}

const reasonOf = (e: unknown) => (e instanceof Error && e.message ? e.message : String(e));

export function notifyControl(win: Window, api: Api): NotifyControl {
  const button = h('button', { type: 'button', class: 'btn notify-button owner-only', hidden: true, 'aria-pressed': 'false', onclick: () => void toggle() });
  const message = h('p', { class: 'notify-msg muted', role: 'status' });
  const el = button;
  let on = false;
  let busy = false;

  const show = (subscribed: boolean, text = '') => {
    on = subscribed;
    // A bell on phones (the header keeps one row); the whole phrase where there is room.
    button.replaceChildren(icon(subscribed ? BELL_ON : BELL), h('span', { class: 'wide-only' }, subscribed ? 'Notifications on · turn off' : 'Notify me on this device'));
    button.title = subscribed ? 'Notifications on this device are on' : 'Notify me on this device';
    button.setAttribute('aria-label', subscribed ? 'Notifications on this device are on; turn them off' : 'Notify me on this device');
    button.setAttribute('aria-pressed', String(subscribed));
    message.textContent = text;
  };

  async function registration(): Promise<ServiceWorkerRegistration> {
    const sw = win.navigator.serviceWorker;
    await sw.register('/sw.js', { scope: '/' });
    return sw.ready;
  }

  async function current(): Promise<PushSubscription | null> {
    const reg = await win.navigator.serviceWorker.getRegistration('/');
    return reg ? reg.pushManager.getSubscription() : null;
  }

  async function turnOn(): Promise<void> {
    const permission = await (win as unknown as { Notification: typeof Notification }).Notification.requestPermission();
    if (permission !== 'granted') {
      show(false, permission === 'denied' ? 'Notifications are blocked for this site; allow them in the browser\'s site settings.' : 'Notifications were not allowed.');
      return;
    }
    let sub: PushSubscription;
    try {
      const reg = await registration();
      const key = base64UrlBytes(await api.pushKey());
      sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    } catch (e) {
      show(false, `Push is not available in this browser: ${reasonOf(e)}`);
      return;
    }
    try {
      await api.addPushSubscription(sub.toJSON(), deviceName(win.navigator.userAgent));
    } catch (e) {
      // Best effort: the browser keeps a subscription nobody sends to, which costs nothing.
      await sub.unsubscribe().catch(() => false);
      show(false, `The daemon did not take the subscription: ${reasonOf(e)}`);
      return;
    }
    show(true, 'This device will be notified when a session wants you.');
  }

  async function turnOff(): Promise<void> {
    // No push support, or no permission: there is nothing to turn off.
    const sub = await current().catch(() => null);
    if (sub) {
      const endpoint = sub.endpoint;
      // Either step may fail (offline, already gone); the daemon also drops an endpoint its push service calls gone.
      await sub.unsubscribe().catch(() => false);
      await api.removePushSubscription(endpoint).catch(() => undefined);
    }
    show(false, 'Notifications are off on this device.');
  }

  async function toggle(): Promise<void> {
    if (busy) return;
    const why = unavailable(win);
    if (why) {
      show(false, why);
      return;
    }
    busy = true;
    button.setAttribute('disabled', '');
    try {
      await (on ? turnOff() : turnOn());
    } catch (e) {
      show(on, `Notifications: ${reasonOf(e)}`);
    } finally {
      busy = false;
      button.removeAttribute('disabled');
    }
  }

  show(false);
  return {
    el,
    message,
    setOwner(owner) {
      el.hidden = !owner;
      if (!owner || unavailable(win)) return;
      current().then((sub) => show(sub !== null), () => show(false));
    },
  };
}
