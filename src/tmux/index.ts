/** The tmux engine: the only code in Roost that runs tmux. */
export { TmuxClient, type TmuxOptions } from './client.js';
export { TmuxError, type TmuxErrorKind } from './errors.js';
export * from './commands.js';
export * from './views.js';
export { listSessions, listPaneRows, buildSessions, type PaneRow } from './list.js';
export * from './options.js';
export * from './pipe.js';
export { attachViewPty, type AttachPtyOptions, type IPty } from './pty.js';
