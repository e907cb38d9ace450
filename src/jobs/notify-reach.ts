/**
 * Whether a job's end can reach anyone: `roost run --notify` says at once
 * when no notification channel would take it, rather than leave the user
 * waiting for a push that never comes. The job runs either way.
 */
import { channelTakes, type Channel } from '../notify/channels.js';
import { JOB_KINDS } from './notify-events.js';

/** `reached`: some channel takes it; `no-channel`: none is set up; `filtered`: every channel is disabled or leaves it out. */
export type JobEndReach = 'reached' | 'no-channel' | 'filtered';

/**
 * As the dispatcher chooses (channelTakes): an enabled channel that takes
 * one of a job's kinds for the job's session.
 * Quiet hours do not count: they drop the push only if the job ends within them.
 */
export function jobEndReach(channels: readonly Channel[], session: string): JobEndReach {
  if (channels.length === 0) return 'no-channel';
  const takes = (c: Channel) => c.enabled && JOB_KINDS.some((k) => channelTakes(c, k, session));
  return channels.some(takes) ? 'reached' : 'filtered';
}
