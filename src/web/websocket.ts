/**
 * The browser's WebSocket behind the DOM-free Socket interface of
 * transport.ts. close() detaches every handler first, so a replaced socket can
 * never report into the page again: one live socket per feed.
 */
import type { OpenSocket } from './transport.js';

export function browserSocket(base: Location): OpenSocket {
  return (path, handlers) => {
    const url = new URL(path, base.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    let finished = false;
    const detach = () => {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onclose = null;
      ws.onerror = null;
    };
    ws.onopen = () => handlers.open();
    ws.onmessage = (e: MessageEvent) => {
      const d: unknown = e.data;
      if (typeof d === 'string') handlers.message(d);
      else if (d instanceof ArrayBuffer) handlers.message(new Uint8Array(d));
    };
    ws.onclose = (e: CloseEvent) => {
      if (finished) return;
      finished = true;
      detach();
      handlers.close(e.code, e.reason);
    };
    return {
      send(data) {
        if (ws.readyState === WebSocket.OPEN) ws.send(data as string | Uint8Array<ArrayBuffer>);
      },
      close() {
        finished = true;
        detach();
        if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close(1000);
      },
    };
  };
}
