import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampFont, devicePrefs, FONT_DEFAULT_PX, FONT_MAX_PX, FONT_MIN_PX, newDeviceId, type KeyValueStore } from '../../src/web/prefs.js';
import { isPageRequest, isShellRequest, SHELL_FILES } from '../../src/web/sw-routes.js';

const memory = (): KeyValueStore & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};

test('font size: clamped, rounded, remembered; nonsense reads as the default', () => {
  assert.equal(clampFont(3), FONT_MIN_PX);
  assert.equal(clampFont(99), FONT_MAX_PX);
  assert.equal(clampFont(15.6), 16);
  assert.equal(clampFont(Number.NaN), FONT_DEFAULT_PX);
  const store = memory();
  const p = devicePrefs(store);
  assert.equal(p.fontSize(), FONT_DEFAULT_PX);
  assert.equal(p.setFontSize(40), FONT_MAX_PX);
  assert.equal(devicePrefs(store).fontSize(), FONT_MAX_PX, 'a new page reads it back');
  store.data.set('roost.fontSize', 'huge');
  assert.equal(p.fontSize(), FONT_DEFAULT_PX);
});

test('key bar: shown or hidden as chosen, else the fallback (touch screens show it)', () => {
  const p = devicePrefs(memory());
  assert.equal(p.keybarShown(true), true);
  assert.equal(p.keybarShown(false), false);
  p.setKeybarShown(false);
  assert.equal(p.keybarShown(true), false);
  p.setKeybarShown(true);
  assert.equal(p.keybarShown(false), true);
});

test('storage that throws (private modes) just forgets', () => {
  const broken: KeyValueStore = {
    getItem: () => {
      throw new Error('denied');
    },
    setItem: () => {
      throw new Error('denied');
    },
  };
  const p = devicePrefs(broken);
  assert.equal(p.fontSize(), FONT_DEFAULT_PX);
  assert.equal(p.setFontSize(20), 20);
  assert.equal(devicePrefs(null).keybarShown(true), true);
});

test('the service worker answers only for the app shell, never the API', () => {
  const o = 'http://127.0.0.1:7373';
  const u = (p: string, origin = o) => new URL(p, origin);
  assert.equal(isShellRequest(u('/assets/main.js'), 'GET', o), true);
  assert.equal(isShellRequest(u('/manifest.webmanifest'), 'GET', o), true);
  assert.equal(isShellRequest(u('/api/me'), 'GET', o), false);
  assert.equal(isShellRequest(u('/api/sessions/x/windows/0/history'), 'GET', o), false);
  assert.equal(isShellRequest(u('/api'), 'GET', o), false);
  assert.equal(isShellRequest(u('/assets/main.js'), 'POST', o), false);
  assert.equal(isShellRequest(u('/assets/main.js', 'http://evil.example'), 'GET', o), false);
  assert.equal(isShellRequest(u('/'), 'GET', o), false, 'pages are navigations, not shell files');
  assert.equal(isPageRequest(u('/s/work/1'), 'GET', 'navigate', o), true);
  assert.equal(isPageRequest(u('/api/events'), 'GET', 'navigate', o), false);
  assert.equal(isPageRequest(u('/'), 'GET', 'cors', o), false);
  assert.ok(SHELL_FILES.every((f) => !f.startsWith('/api')));
});

test('device id: made once and kept; a stored one that breaks the rule is replaced; wide view defaults to pan', () => {
  const store = memory();
  const p = devicePrefs(store);
  const id = p.deviceId(() => newDeviceId(globalThis.crypto));
  assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(devicePrefs(store).deviceId(() => 'other-id-0000'), id, 'a new page is the same device');
  store.data.set('roost.device', '../../x');
  assert.equal(p.deviceId(() => 'fresh-id-0001'), 'fresh-id-0001');
  assert.equal(devicePrefs(null).deviceId(() => 'no-storage-01'), 'no-storage-01');
  assert.equal(p.wideView(), 'pan');
  p.setWideView('zoom');
  assert.equal(devicePrefs(store).wideView(), 'zoom');
});
