/**
 * GET /api/terminal?session=NAME[&window=INDEX] (WebSocket): a browser
 * terminal on session NAME (see terminal/bridge.ts and docs/protocol.md).
 * Auth, Host and Origin were checked before the upgrade; read-only logins get
 * a read-only terminal.
 */
import { checkName, isWindowRef } from '../../shared/names.js';
import { encodeServer } from '../../shared/protocol.js';
import { CLOSE } from '../../shared/close-codes.js';
import type { RouteArea } from '../types.js';

export const terminalRoutes: RouteArea = {
  name: 'terminal',
  register(app, deps) {
    app.get<{ Querystring: Record<string, unknown> }>('/api/terminal', { websocket: true }, (socket, req) => {
      const refuse = (code: string, message: string) => {
        socket.send(encodeServer({ type: 'error', code, message }));
        socket.close(CLOSE.BAD_REQUEST, code);
      };
      const name = checkName(req.query['session'], 'session name');
      if (!name.ok) return refuse('bad-name', name.error);
      const window = req.query['window'];
      if (window !== undefined && !isWindowRef(window)) return refuse('bad-window', 'window must be an index or @id');
      const principal = req.principal!;
      const bridge = deps.terminals.open(socket, { session: name.name, window: window ?? null, readOnly: principal.role !== 'owner' });
      if (!bridge) return;
      const untrack = deps.sockets.add(principal, (code, reason) => bridge.fail('unauthorized', `your login ended (${reason})`, code));
      socket.on('close', untrack);
    });
  },
};
