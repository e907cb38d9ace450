/**
 * A QR code as an SVG element built with DOM calls (no markup strings): the
 * `qrcode` package computes the modules, one <path> draws the dark ones on a
 * white square with the 4-module quiet zone scanners need.
 */
import { create } from 'qrcode';

/** Blank modules around the code, as the QR standard asks. */
const QUIET_ZONE = 4;

export function qrSvg(text: string, label: string): SVGSVGElement {
  const qr = create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const size = n + 2 * QUIET_ZONE;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', String(size));
  bg.setAttribute('height', String(size));
  bg.setAttribute('fill', '#fff');
  const d: string[] = [];
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (qr.modules.get(y, x)) d.push(`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`);
    }
  }
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d.join(''));
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}
