/**
 * Every tmux user option Roost sets (`@roost_*`), in one registry, so that a
 * feature marking its sessions or windows adds a name here instead of
 * inventing one, and `tmux show-options` of a Roost server reads as a list
 * of known marks.
 */

/** Session option: marks Roost's per-device view sessions (grouped, hidden from lists); its value is the id of the session viewed. */
export const VIEW_OPTION = '@roost_view';

/** Session option: marks a spare view, made ahead for the next browser terminal on its session and not yet any device's (src/server/terminal/spare-views.ts). */
export const SPARE_OPTION = '@roost_spare';

/**
 * Session option of a read-only view shared by several browser terminals
 * (src/server/terminal/viewer-shares.ts): how many show it. Its one tmux
 * client counts as that many devices in listings.
 */
export const VIEWERS_OPTION = '@roost_viewers';

/** Session option of a view: the viewed session's name, which the view's status line shows (views.ts). */
export const VIEW_NAME_OPTION = '@roost_name';

/** Window option: bells rung so far, bumped by Roost's alert-bell hook (src/attention/bell-hook.ts). */
export const BELL_COUNTER_OPTION = '@roost_bells';

/**
 * Window option: the bell counter's value when a person last saw the
 * window (a Roost device showing it, or a terminal attached to its
 * session). Bells above it are unseen: kept in tmux, past a daemon
 * restart, for as long as the window lives.
 */
export const BELLS_SEEN_OPTION = '@roost_bells_seen';

/**
 * Global option: the rule the bell counters are read by (BELL_MODEL). Set
 * once a daemon brought the counters of a server up to it (bell-hook.ts):
 * until then a listing reads tmux's own bell flag, as before.
 */
export const BELL_MODEL_OPTION = '@roost_bell_model';
/** Unseen bells are the counter above the seen mark; tmux's flag no longer counts (a read-only view clears it too). */
export const BELL_MODEL = 2;

/**
 * Window option: window_activity as set by the window's last selection
 * (a client or a device's view switching to it), recorded by Roost's
 * session-window-changed hook (src/attention/bell-hook.ts). tmux counts a
 * selection as activity; a window_activity equal to this is no output.
 */
export const SELECTED_AT_OPTION = '@roost_selected_at';

/** Session option: what kind of session this is (SessionKind in src/shared/api.ts); unset for a plain one. */
export const KIND_OPTION = '@roost_kind';

/** Window option: the device (a browser's id) that sizes the window when several show it (src/server/terminal/sizing.ts). */
export const SIZER_OPTION = '@roost_sizer';

/** Window option: Roost holds the window at its size (sizes.ts); a daemon that starts lets go of what a dead one held. */
export const HELD_OPTION = '@roost_held';

/** Session option of a node session (src/slurm): its allocation's state, which its status line shows. */
export const NODE_STATUS_OPTION = '@roost_node';
/** Session option of a node session: epoch seconds its running allocation ends; its status line counts down to it (src/slurm/status-line.ts). */
export const NODE_END_OPTION = '@roost_node_end';
/**
 * Pane option: set while a node session's window (src/slurm/runner.ts) runs
 * the user's shell on the compute node. That shell lives behind srun, often
 * on another host, so /proc cannot tell whether it sits at its prompt: the
 * listing counts the pane as a shell (quiet) instead of as a silent program.
 */
export const REMOTE_SHELL_OPTION = '@roost_remote_shell';
/** Session option: epoch seconds when Roost restored this session from a snapshot; unset once someone opens it (src/restore). */
export const RESTORED_OPTION = '@roost_restored';

/**
 * Global option: the tmux server before this one on its socket (pid:start,
 * src/restore/previous-server.ts) whose snapshot a restore brought onto this
 * server. Until then `roost restore` takes that server's newest snapshot
 * (tmux crashed; a new server's snapshots must not hide what the old one
 * had); after, this server's own. It ends with the server, as it should.
 */
export const TOOK_OVER_OPTION = '@roost_took_over';

/** Pane option: set to "ready" by a pane Roost is restoring once its saved scrollback is shown and it waits for its command (src/restore). */
export const RESTORE_READY_OPTION = '@roost_restore_ready';
/**
 * Pane option: what restore typed or ran in this pane and the saved program
 * it stands for (JSON, src/restore/pending.ts), so that a snapshot taken while
 * that program still starts, or while its typed line waits for Enter, keeps it.
 */
export const RESTORE_PENDING_OPTION = '@roost_restore_pending';
/**
 * Window option: of a window restore made that tmux names after its program
 * (automatic-rename), the name it was saved with and when (JSON,
 * src/restore/pending.ts): until its pane settles tmux names it after the
 * restore's wrapper or a shell, and a snapshot keeps the saved name instead.
 */
export const RESTORE_NAME_OPTION = '@roost_restore_name';
