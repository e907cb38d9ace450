/**
 * Restore and snapshots in words, for `roost restore --dry-run`, `roost
 * snapshot ls/show` and progress lines: plain text, one line per pane or
 * generation, paths with ~ for the home folder. Pure.
 */
import { countOf, type Snapshot } from './model.js';
import type { RestorePlan } from './plan.js';
import type { Action } from './rules.js';
import type { RestoreOutcome } from './execute.js';
import { commandLine, pipelineLine } from './quote.js';

export const tildePath = (p: string, home: string): string => (p === home ? '~' : p.startsWith(`${home}/`) ? `~${p.slice(home.length)}` : p);

/** "1 session", "2 sessions". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function actionText(a: Action): string {
  if (a.kind === 'shell') return `shell        (${a.why})`;
  return `${a.kind === 'run' ? 'run ' : 'type'}  ${a.line}   (${a.why})`;
}

/** What a restore would do, one line per session, window and pane; `gone` says whether a saved directory is no longer there. */
export function formatPlan(plan: RestorePlan, home: string, when: string, gone: (dir: string) => boolean = () => false): string[] {
  const lines = [`from snapshot ${plan.generation} (${when}):`];
  if (plan.sessions.length === 0) lines.push('  nothing to restore');
  for (const s of plan.sessions) {
    const renamed = s.name !== s.savedName ? ` (saved as ${JSON.stringify(s.savedName)})` : '';
    lines.push(`session ${s.name}${renamed}${s.kind !== 'plain' ? `, kind ${s.kind}` : ''}: ${plural(s.windows.length, 'window')}`);
    for (const w of s.windows) {
      const layout = w.panes.length > 1 ? (w.layout ? ', saved layout' : ', tiled') : '';
      lines.push(`  window ${w.index}${w.autoName ? '' : ` ${JSON.stringify(w.name)}`}${w.active ? ' (current)' : ''}: ${plural(w.panes.length, 'pane')}${layout}`);
      for (const p of w.panes) {
        const sb = p.scrollback ? plural(p.scrollback.lines, 'line') : 'no scrollback';
        const missing = gone(p.cwd) ? '  (gone: the shell starts in ~)' : '';
        lines.push(`    pane ${p.index}  ${tildePath(p.cwd, home)}${missing}  [${sb}]`);
        lines.push(`      ${actionText(p.action)}`);
      }
    }
  }
  for (const s of plan.skipped) lines.push(`skip ${s.name}: ${s.why}`);
  return lines;
}

/** One line of a restore's result. */
export function formatOutcome(o: RestoreOutcome): string {
  const parts = [`restored ${plural(o.restored.length, 'session')} from snapshot ${o.generation}`];
  if (o.resumed) parts.push(`${plural(o.resumed, 'agent conversation')} resumed`);
  if (o.relaunched) parts.push(`${plural(o.relaunched, 'program')} relaunched`);
  if (o.typed) parts.push(`${plural(o.typed, 'command')} typed at the prompt, not run`);
  if (o.skipped.length) parts.push(`${o.skipped.length} already running`);
  if (o.failed.length) parts.push(`${o.failed.length} failed`);
  return parts.join('; ');
}

/**
 * The program line of a saved pane as restore types it (typed.ts: `claude -c`,
 * not `node /usr/local/bin/claude -c`): "vim notes.md", "tail -f log | grep
 * x", "… | less" (a pipeline whose first part had ended), or "" at the prompt.
 */
export function programLine(p: Snapshot['sessions'][number]['windows'][number]['panes'][number]): string {
  if (!p.program) return '';
  const c = p.program.typed?.length === p.program.commands.length ? p.program.typed : p.program.commands;
  if (c.length === 0) return p.program.name;
  const line = (c.length > 1 ? pipelineLine(c) : commandLine(c[0]!)) ?? `${p.program.name} (control characters)`;
  return p.program.headEnded ? `… | ${line}` : line;
}

/** One line per session, window and pane of a snapshot (`roost snapshot show`). */
export function formatSnapshot(s: Snapshot, home: string, when: string): string[] {
  const c = countOf(s);
  const lines = [`snapshot ${s.generation}, ${when}, host ${s.host}, tmux ${s.server.socket}: ${plural(c.sessions, 'session')}, ${plural(c.windows, 'window')}, ${plural(c.panes, 'pane')}`];
  for (const x of s.sessions) {
    lines.push(`session ${x.name}${x.kind !== 'plain' ? ` (kind ${x.kind})` : ''}`);
    for (const w of x.windows) {
      lines.push(`  window ${w.index} ${JSON.stringify(w.name)}${w.active ? ' (current)' : ''}${w.zoomed ? ' (zoomed)' : ''}  ${w.layout}`);
      for (const p of w.panes) {
        const agent = p.agent ? `  [${p.agent.kind} ${p.agent.sessionId}]` : '';
        const sb = p.scrollback ? plural(p.scrollback.lines, 'line') : 'no scrollback';
        lines.push(`    pane ${p.index}${p.active ? '*' : ' '} ${tildePath(p.cwd, home)}  ${p.dead ? '(exited)' : programLine(p) || '(prompt)'}${agent}  [${sb}]`);
      }
    }
  }
  return lines;
}
