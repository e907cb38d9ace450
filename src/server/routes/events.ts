/**
 * GET /api/events (WebSocket): JSON text messages from the shared sessions
 * feed — {"type":"sessions","sessions":[...]} at once and on every change,
 * plus whatever other parts publish. The client sends nothing.
 */
import { CLOSE } from '../../shared/close-codes.js';
import type { RouteArea } from '../types.js';
import { notReading } from '../ws-backlog.js';

export const eventRoutes: RouteArea = {
  name: 'events',
  register(app, deps) {
    app.get('/api/events', { websocket: true }, (socket, req) => {
      const untrack = deps.sockets.add(req.principal!, (code, reason) => socket.close(code, reason));
      const unsubscribe = deps.feed.subscribe((text) => {
        if (socket.readyState !== socket.OPEN) return;
        if (notReading(socket)) socket.close(CLOSE.TRY_LATER, 'not reading');
        else socket.send(text);
      });
      socket.on('close', () => {
        untrack();
        unsubscribe();
      });
    });
  },
};
