/**
 * Installing Roost as an app: registers the service worker (/sw.js, see
 * sw.ts) that keeps the app shell. Browsers allow service workers only in a
 * secure context (HTTPS, or http://localhost / 127.0.0.1); elsewhere Roost
 * simply runs as a page.
 */
export function registerServiceWorker(win: Window): void {
  const sw = win.navigator.serviceWorker;
  if (!sw || !win.isSecureContext) return;
  // After the page has loaded, so the worker's downloads do not compete with the first screen.
  const register = () => {
    sw.register('/sw.js', { scope: '/' }).catch(() => {
      // Refused (private mode, a policy): Roost works without it.
    });
  };
  if (win.document.readyState === 'complete') register();
  else win.addEventListener('load', register, { once: true });
}
