/**
 * The stalled client of `npm run bench`: one client stops reading its socket
 * (so it stops acknowledging too, a background tab or a phone in a pocket)
 * while another streams through the same session. Measured: how much the
 * daemon and the tmux server grow meanwhile (Roost drops what the stalled
 * client cannot take and keeps reading its pty, so neither should), and,
 * once the stalled client reads again, how long until it shows the end of
 * the stream (tmux redraws its screen).
 */
import { readFileSync } from 'node:fs';
import type { TermClient } from './clients.js';

/** Resident set size of process `pid` in bytes (NaN if it is gone). */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    // The process ended: no figure rather than a failed bench.
    return NaN;
  }
}

export interface StallParts {
  /** A client that never ACKs until resumeReading(). */
  stalled: TermClient & { resumeReading(): void };
  reader: TermClient;
  daemonPid: number;
  tmuxPid: number;
  /** Stream through the session; resolves with the sentinel once every given client saw it. */
  stream(clients: TermClient[]): Promise<{ ms: number; sentinel: string }>;
  /** Resolves when `text` has appeared in the client's output from now on. */
  waitForText(c: TermClient, text: string): Promise<void>;
}

export interface StallResult {
  daemonGrowth: number;
  tmuxGrowth: number;
  streamMs: number;
  /** From reading again to the stream's end on the stalled client's screen. */
  recoverMs: number;
}

export async function stalledClient(p: StallParts): Promise<StallResult> {
  const daemon0 = rssOf(p.daemonPid);
  const tmux0 = rssOf(p.tmuxPid);
  let daemonPeak = daemon0;
  let tmuxPeak = tmux0;
  const sample = () => {
    daemonPeak = Math.max(daemonPeak, rssOf(p.daemonPid));
    tmuxPeak = Math.max(tmuxPeak, rssOf(p.tmuxPid));
  };
  p.stalled.stopReading();
  const sampler = setInterval(sample, 50);
  const { ms: streamMs, sentinel } = await p.stream([p.reader]);
  clearInterval(sampler);
  sample();
  const seen = p.waitForText(p.stalled, sentinel);
  const t0 = performance.now();
  p.stalled.resumeReading();
  await seen;
  return { daemonGrowth: daemonPeak - daemon0, tmuxGrowth: tmuxPeak - tmux0, streamMs, recoverMs: performance.now() - t0 };
}
