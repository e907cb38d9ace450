/**
 * Lets xterm.js run under the page's CSP (`style-src 'self'`, no
 * 'unsafe-inline'). xterm 6 writes some CSS the two ways that CSP refuses:
 *
 * - it creates `<style>` elements and sets their text (the DOM renderer's
 *   theme and cell sizes; the viewport's scrollbar colours);
 * - the DOM renderer sets `style` attributes with setAttribute (true-colour
 *   cells).
 *
 * Refused, they break the DOM renderer (the WebGL one only loses scrollbar
 * colours) and fill the console with violations. Both go through CSSOM here
 * instead, which CSP leaves to scripts: `<style>` text becomes a constructed
 * stylesheet adopted by the document, and `setAttribute('style', v)` becomes
 * `style.cssText = v`. This widens nothing an attacker could use: markup
 * injected into the page still cannot carry styles, and only the page's own
 * scripts (script-src 'self') reach these calls.
 */

interface SheetElement {
  el: HTMLElement;
  sheet: CSSStyleSheet;
}

export interface StyleRouting {
  /** Drop the sheets of `<style>` stand-ins no longer in the document (after a terminal is disposed). */
  prune(): void;
}

/** Install once, in the composition root, before any terminal is created. */
export function routeScriptStylesThroughCssom(doc: Document): StyleRouting {
  const live: SheetElement[] = [];
  const create = doc.createElement.bind(doc) as (tag: string, options?: ElementCreationOptions) => HTMLElement;

  const adopt = (sheet: CSSStyleSheet) => {
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  };
  const drop = (sheet: CSSStyleSheet) => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
  };

  /** A stand-in for a `<style>` element: inert (an unknown element, hidden by style.css), its text applied as a sheet. */
  const styleStandIn = (): HTMLElement => {
    const el = create('roost-style');
    const sheet = new CSSStyleSheet();
    let text = '';
    Object.defineProperty(el, 'textContent', {
      configurable: true,
      get: () => text,
      set: (v: string | null) => {
        text = v ?? '';
        sheet.replaceSync(text);
      },
    });
    const remove = el.remove.bind(el);
    el.remove = () => {
      remove();
      drop(sheet);
      const i = live.findIndex((x) => x.el === el);
      if (i >= 0) live.splice(i, 1);
    };
    adopt(sheet);
    live.push({ el, sheet });
    return el;
  };

  doc.createElement = ((tag: string, options?: ElementCreationOptions) =>
    tag.toLowerCase() === 'style' ? styleStandIn() : create(tag, options)) as Document['createElement'];

  const proto = Element.prototype;
  const setAttribute = proto.setAttribute;
  proto.setAttribute = function (this: Element, name: string, value: string): void {
    if (name.toLowerCase() === 'style' && (this instanceof HTMLElement || this instanceof SVGElement)) {
      this.style.cssText = value;
      return;
    }
    setAttribute.call(this, name, value);
  };

  return {
    prune() {
      for (let i = live.length - 1; i >= 0; i--) {
        const { el, sheet } = live[i]!;
        if (!el.isConnected) {
          drop(sheet);
          live.splice(i, 1);
        }
      }
    },
  };
}
