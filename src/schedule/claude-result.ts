/**
 * What a headless Claude run said at its end: `claude -p ... --output-format
 * json` prints one JSON object ({"type":"result","subtype":"success",
 * "num_turns":3,"duration_ms":..., "total_cost_usd":..., "session_id":...}).
 * It is read from the tail of the run's job log (raw bytes, as the terminal
 * got them: lines end in \r\n, and a terminal may add escapes), never from
 * the screen. Only the fields below are kept: never the result's text.
 *
 * The run's program prints whatever it likes into the same log, so only a
 * line that is the JSON object alone counts (Claude writes it so), never one
 * with text before its `{`, and the session id must pass the one rule for it
 * (shared/names.ts): it goes on `claude --resume ID`, where `--anything`
 * would be an option.
 */
import type { ClaudeResult } from '../shared/schedules.js';
import { logExtent, readRange } from '../jobs/log-reader.js';
import { programCommand } from './command-program.js';
import { isClaudeSessionId } from '../shared/names.js';

/** How much of the log's end is read for the result (its text can be long). */
const TAIL_BYTES = 4 * 1024 * 1024;

/** Whether a command is a headless Claude run with JSON output (also within `sh -c '... claude -p ...'`). */
export function isHeadlessClaude(whole: readonly string[]): boolean {
  const program = programCommand(whole);
  if (program?.name !== 'claude') return false;
  const command = program.words;
  const printMode = command.includes('-p') || command.includes('--print');
  const i = command.findIndex((a) => a === '--output-format' || a.startsWith('--output-format='));
  const format = i < 0 ? null : command[i]!.includes('=') ? command[i]!.split('=')[1] : command[i + 1];
  return printMode && (format === 'json' || format === 'stream-json');
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The result object of Claude's JSON output in `text`, the last one; null when there is none. */
export function parseClaudeResult(text: string): ClaudeResult | null {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '').replace(/\r/g, '');
  const lines = clean.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (!line.startsWith('{') || !line.includes('"result"')) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // Not the result line (or cut): look further up.
    }
    if (o === null || typeof o !== 'object' || o['type'] !== 'result') continue;
    return {
      kind: typeof o['subtype'] === 'string' ? o['subtype'] : 'unknown',
      isError: o['is_error'] === true,
      turns: num(o['num_turns']),
      durationMs: num(o['duration_ms']),
      costUsd: num(o['total_cost_usd'] ?? o['cost_usd']),
      sessionId: isClaudeSessionId(o['session_id']) ? o['session_id'] : null,
    };
  }
  return null;
}

/** The Claude result at the end of the job log in `dir`, or null. */
export function claudeResultOf(dir: string): ClaudeResult | null {
  const ext = logExtent(dir);
  const from = Math.max(ext.start, ext.end - TAIL_BYTES);
  const r = readRange(dir, from, ext.end, TAIL_BYTES);
  return parseClaudeResult(r.data.toString('utf8'));
}
