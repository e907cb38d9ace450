/** The tmux engine: the only code in Roost that runs tmux. */
export { TmuxClient, type TmuxOptions } from './client.js';
export { TmuxError, type TmuxErrorKind } from './errors.js';
export { THEN, commandArgv, type TmuxArg } from './literal.js';
export * from './commands.js';
export * from './views.js';
export { anchorSizes, type SizeAnchor } from './size-anchor.js';
export { listSessions, listPaneRows, buildSessions, VIEW_OPTION, type PaneRow } from './list.js';
