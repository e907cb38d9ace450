#!/usr/bin/env node
// Renders the web app's PNG icons (src/web/static/icon-*.png) from
// src/web/static/icon.svg with the local Chromium (playwright-core). Run by
// hand after changing the SVG; the PNGs are committed (the build downloads
// and renders nothing). The maskable icon puts the glyph inside the middle
// 60% on a full-bleed background, the safe zone Android's masks keep.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const staticDir = join(root, 'src', 'web', 'static');
const svg = readFileSync(join(staticDir, 'icon.svg'), 'utf8');
const dataUrl = (s) => `data:image/svg+xml;base64,${Buffer.from(s).toString('base64')}`;
// The glyph without its rounded square, scaled into the safe zone of a full square.
const glyph = svg.replace(/<rect[^>]*\/>/, '').replace(/<\/?svg[^>]*>/g, '');
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#101317"/><g transform="translate(12.8 12.8) scale(0.6)">${glyph}</g></svg>`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  for (const [name, size, source] of [['icon-192.png', 192, svg], ['icon-512.png', 512, svg], ['icon-maskable-512.png', 512, maskable]]) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${dataUrl(source)}" width="${size}" height="${size}" style="display:block"></body></html>`);
    await page.waitForFunction(() => document.images[0]?.complete);
    await page.screenshot({ path: join(staticDir, name), omitBackground: true });
    await page.close();
    console.log(`wrote src/web/static/${name}`);
  }
} finally {
  await browser.close();
}
