/**
 * A node session's status line: its own status-right shows the allocation
 * (the NODE_STATUS_OPTION the poller sets, e.g. "job 12 RUNNING gpu07 3h12m
 * left") in front of the user's usual status-right, so someone who never
 * opens the dashboard sees it too. tmux redraws the line when the option
 * changes; no shell command runs in the status line.
 */
import { NODE_STATUS_OPTION, setOption, showOption, type TmuxClient } from '../tmux/index.js';

/** Room for the allocation's part (characters) beyond the user's own status-right-length. */
const EXTRA_LENGTH = 60;

/** Give session `sessionId` ($N) a status-right that shows its allocation first; `initial` is shown until the poller's first look. */
export async function setUpStatusLine(tmux: TmuxClient, sessionId: string, initial: string): Promise<void> {
  const right = await showOption(tmux, 'global', null, 'status-right');
  const length = Number(await showOption(tmux, 'global', null, 'status-right-length')) || 40;
  await setOption(tmux, 'session', sessionId, NODE_STATUS_OPTION, initial);
  await setOption(tmux, 'session', sessionId, 'status-right', `#{?${NODE_STATUS_OPTION},#[reverse] #{${NODE_STATUS_OPTION}} #[default] ,}${right}`);
  await setOption(tmux, 'session', sessionId, 'status-right-length', String(length + EXTRA_LENGTH));
}
