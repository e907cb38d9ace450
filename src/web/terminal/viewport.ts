/**
 * Keeps the terminal page inside the visual viewport: the part of the page
 * the on-screen keyboard does not cover. Chrome on Android resizes the layout
 * for the keyboard (index.html asks for interactive-widget=resizes-content),
 * but Safari on iOS, and Android's default, only shrink the visual viewport
 * and may scroll it. The page's box follows window.visualViewport's height
 * and offset (CSS variables read by style.css), so the terminal refits to
 * the rows that can be seen and the cursor line stays above the keyboard;
 * turning the phone does the same.
 */

export function followVisualViewport(win: Window, el: HTMLElement): () => void {
  const vv = win.visualViewport;
  if (!vv) return () => {};
  let frame = 0;
  const apply = () => {
    frame = 0;
    el.style.setProperty('--vv-height', `${Math.round(vv.height)}px`);
    el.style.setProperty('--vv-top', `${Math.round(vv.offsetTop)}px`);
  };
  const queue = () => {
    if (!frame) frame = win.requestAnimationFrame(apply);
  };
  apply();
  vv.addEventListener('resize', queue);
  vv.addEventListener('scroll', queue);
  win.addEventListener('orientationchange', queue);
  return () => {
    win.cancelAnimationFrame(frame);
    vv.removeEventListener('resize', queue);
    vv.removeEventListener('scroll', queue);
    win.removeEventListener('orientationchange', queue);
    el.style.removeProperty('--vv-height');
    el.style.removeProperty('--vv-top');
  };
}
