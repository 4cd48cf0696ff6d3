/**
 * How often n8n lets a polling trigger poll, read from n8n's source:
 *
 * - n8n 2.41.1 (n8n-core `ActiveWorkflowTriggers.activatePollTrigger`): each Poll Times
 *   entry becomes a cron expression (`toCronExpression`; mode `custom` is used as
 *   written, with an optional seconds field), and activation is refused ("The polling
 *   interval is too short. It has to be at least a minute.") when any expression is
 *   sub-minute (`isSubMinuteCron`: six fields whose seconds field is not one number).
 * - n8n 1.123.81 (n8n-core `ActiveWorkflows.activatePolling`): refused only when the
 *   seconds field contains `*`.
 * - Both register every entry as its own cron job (`ScheduledTaskManager`, keyed by the
 *   expression), so entries `0 * * * * *`, `1 * * * * *`, … are each minute-granular and
 *   accepted, and together poll every second: the shortest cadence both versions accept
 *   without a setting (test/e2e/polling.test.ts measures it). 2.41.1 refuses a sub-minute
 *   entry inside activation, before the first poll: the public API still answers
 *   `active: true`, but the workflow never polls.
 * - n8n runs polls of one node on the cron ticks without waiting for the previous poll,
 *   so the functional tests poll every 2 s, leaving each poll (a few ms on loopback) a
 *   wide margin on a loaded machine.
 */
import type { PollTimes } from './workflows';

/** The shortest single expression n8n 2.x accepts: once a minute, at second 0. */
export const SHORTEST_SINGLE_POLL_CRON = '0 * * * * *';

/** A sub-minute expression, which n8n refuses at activation. */
export const SUB_MINUTE_POLL_CRON = '*/5 * * * * *';

/** Poll Times firing every `seconds` seconds (a divisor of 60): one minute-granular entry per slot. */
export function pollEvery(seconds: number): PollTimes {
	if (!Number.isInteger(seconds) || seconds < 1 || 60 % seconds !== 0) {
		throw new Error(`pollEvery: ${seconds} does not divide a minute`);
	}
	const item: PollTimes['item'] = [];
	for (let second = 0; second < 60; second += seconds) item.push({ mode: 'custom', cronExpression: `${second} * * * * *` });
	return { item };
}

/** Poll Times of one custom cron expression. */
export function pollCron(cronExpression: string): PollTimes {
	return { item: [{ mode: 'custom', cronExpression }] };
}
