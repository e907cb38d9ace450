/**
 * The lines `roost init` puts in ~/.bashrc (and ~/.zshrc): open Cockpit
 * terminals, and with --ssh interactive SSH logins, in the tmux session
 * `main`. The same text is valid bash and zsh.
 *
 * Where it differs from the guide's `exec tmux new-session -A -s main`:
 * `... && exit` instead of `exec`. Detaching still closes the terminal, as
 * with exec, but if attaching fails (roost not built, a broken config.toml,
 * tmux missing) the user keeps this shell instead of losing the terminal,
 * which in Cockpit would also lose the way to repair the file.
 */

export interface ShellBlockOptions {
  /** Also attach interactive SSH logins ($SSH_TTY set; `ssh host cmd` has none). */
  ssh: boolean;
}

export const SESSION = 'main';

export function shellBlock(o: ShellBlockOptions): string {
  const when = o.ssh
    ? '{ [ "$XDG_SESSION_TYPE" = "web" ] || [ -n "$SSH_TTY" ]; }'
    : '[ "$XDG_SESSION_TYPE" = "web" ]';
  const who = o.ssh ? 'Cockpit terminals (XDG_SESSION_TYPE=web) and SSH logins (SSH_TTY)' : 'Cockpit terminals (XDG_SESSION_TYPE=web)';
  return `# Added by roost init; roost init --uninstall removes it.
# ${who} attach to the tmux session "${SESSION}",
# creating it if needed, so closing the terminal does not end its programs.
# Only interactive shells, never inside tmux. Detaching (Ctrl-b d) closes the
# terminal; if attaching fails, this shell carries on.
case $- in
  *i*)
    if [ -z "$TMUX" ] && ${when}; then
      if command -v roost >/dev/null 2>&1; then
        roost attach ${SESSION} && exit
      else
        tmux new-session -A -s ${SESSION} && exit
      fi
      echo "roost: could not attach to tmux session ${SESSION}; continuing in this shell" >&2
    fi
    ;;
esac
`;
}

/** Whether a shell block (as found in a file) also attaches SSH logins. */
export function blockHasSsh(body: string): boolean {
  return body.includes('$SSH_TTY');
}
