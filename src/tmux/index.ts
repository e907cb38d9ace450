/** The tmux engine: the only code in Roost that runs tmux. */
export { TmuxClient, type TmuxOptions } from './client.js';
export { TmuxError, type TmuxErrorKind } from './errors.js';
export { THEN, commandArgv, type TmuxArg } from './literal.js';
export * from './commands.js';
export * from './views.js';
export { listSessions, listServer, listPaneRows, buildSessions, snapshotServer, serverOf, PANE_FORMAT, type PaneRow, type ServerSnapshot } from './list.js';
export { TmuxControl, type ControlReply } from './control.js';
export * from './options.js';
export * from './sizes.js';
export * from './windows.js';
export { anchorSizes, type SizeAnchor } from './size-anchor.js';
export * from './pipe.js';
export { listClients, type ClientRow } from './clients.js';
export { endLeftControlClients } from './stale-control.js';
