/**
 * GET /api/events (WebSocket): JSON text messages from the shared sessions
 * feed — {"type":"sessions","sessions":[...]} at once and on every change,
 * plus whatever other parts publish. The client sends nothing.
 */
import { CLOSE } from '../../shared/close-codes.js';
import type { RouteArea } from '../types.js';

/** A listener that has this much unsent (ms of not reading) is dropped; it reconnects and gets a fresh listing. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export const eventRoutes: RouteArea = {
  name: 'events',
  register(app, deps) {
    app.get('/api/events', { websocket: true }, (socket, req) => {
      const untrack = deps.sockets.add(req.principal!, (code, reason) => socket.close(code, reason));
      const unsubscribe = deps.feed.subscribe((text) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) socket.close(CLOSE.TRY_LATER, 'not reading');
        else socket.send(text);
      });
      socket.on('close', () => {
        untrack();
        unsubscribe();
      });
    });
  },
};
