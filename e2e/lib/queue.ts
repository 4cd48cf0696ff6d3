/**
 * n8n in queue mode for the queue-mode suite: scripts/queue-mode.sh starts Postgres, Redis,
 * n8n main + 2 webhook processes + 2 workers and nginx; this module starts it (or joins the
 * one `scripts/queue-mode.sh test` started), kills and revives single processes, sends
 * deliveries through nginx the way Makini's sender does (retrying every answer but 2xx),
 * and counts executions in Postgres itself (psql, Debian's client).
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Execution } from './client';
import type { Delivery } from './deliveries';
import { REPO_ROOT } from './process';

export const QUEUE_SCRIPT = join(REPO_ROOT, 'scripts', 'queue-mode.sh');

/** The n8n processes of the environment, by the names the script uses. */
export type QueueProcessName = 'main' | 'webhook-1' | 'webhook-2' | 'worker-1' | 'worker-2';

export interface QueueMode {
	mainUrl: string;
	/** nginx, routing by a consistent hash of X-Webhook-Signature. */
	hashUrl: string;
	/** nginx, round-robin. */
	roundRobinUrl: string;
	webhookUrls: string[];
	pgPort: number;
	/** A port in the environment's range the suite may use (its sandbox). */
	freePort: number;
	runDir: string;
	nginxAccessLog: string;
	/** SIGKILL one n8n process (its whole process group). */
	kill(name: QueueProcessName): Promise<void>;
	/** Starts a killed process again; resolves once it is ready. */
	revive(name: QueueProcessName): Promise<void>;
	/** The pid of one n8n process (node itself). */
	pidOf(name: QueueProcessName): number;
	/** A workflow's executions as n8n stored them in Postgres (data parsed), oldest first. */
	executions(workflowId: string, afterId?: string): Promise<Execution[]>;
	/**
	 * Rows of a query on n8n's database, each as its columns (psql -At, tab-separated).
	 * Asynchronous: the suite's sandbox shares this process's event loop and must keep answering.
	 */
	query(sql: string): Promise<string[][]>;
	/** Stops everything, unless the environment was started by `queue-mode.sh test` (which stops it). */
	stop(): void;
}

function runScript(args: string[], env: NodeJS.ProcessEnv = process.env): string {
	const result = spawnSync('bash', [QUEUE_SCRIPT, ...args], { cwd: REPO_ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (result.status !== 0) {
		throw new Error(`queue-mode.sh ${args.join(' ')} failed (${result.status}):\n${(result.stderr ?? '').slice(-4000)}`);
	}
	return result.stderr;
}

/** Runs the script without blocking the event loop (deliveries keep flowing meanwhile). */
function runScriptAsync(args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn('bash', [QUEUE_SCRIPT, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
		child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`queue-mode.sh ${args.join(' ')} failed (${code}):\n${stderr}`))));
	});
}

/**
 * n8n stores execution data in the `flatted` format: a JSON array whose first entry is the
 * root, every object and string inside replaced by the index of its entry.
 */
export function parseFlatted(text: string): unknown {
	const entries = JSON.parse(text) as unknown[];
	const revived = new Map<number, unknown>();
	const revive = (index: number): unknown => {
		if (revived.has(index)) return revived.get(index);
		const entry = entries[index];
		if (entry === null || typeof entry !== 'object') {
			revived.set(index, entry);
			return entry;
		}
		const copy: Record<string, unknown> | unknown[] = Array.isArray(entry) ? [] : {};
		revived.set(index, copy);
		for (const [key, value] of Object.entries(entry)) {
			(copy as Record<string, unknown>)[key] = typeof value === 'string' ? revive(Number(value)) : value;
		}
		return copy;
	};
	return revive(0);
}

function readEnvFile(file: string): Record<string, string> {
	const entries = readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.includes('='))
		.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
	return Object.fromEntries(entries);
}

/** Starts the environment (minutes the first time: packages, n8n install) or joins a running one. */
export function startQueueMode(): QueueMode {
	const joined = process.env.QUEUE_ENV_FILE;
	let envFile: string;
	let stopped = false;
	const stopAll = () => {
		if (stopped || joined) return;
		stopped = true;
		spawnSync('bash', [QUEUE_SCRIPT, 'stop'], { cwd: REPO_ROOT, stdio: 'ignore' });
	};
	if (joined) {
		if (!existsSync(joined)) throw new Error(`QUEUE_ENV_FILE ${joined} does not exist`);
		envFile = joined;
	} else {
		// A test runner that dies must not leave the environment behind.
		process.once('exit', stopAll);
		try {
			process.stdout.write(runScript(['start']));
		} catch (error) {
			stopAll();
			throw error;
		}
		const base = process.env.QUEUE_PORT_BASE ?? '7600';
		envFile = join(process.env.QUEUE_RUN_DIR ?? `/tmp/makini-queue-${base}`, 'env');
	}
	const env = readEnvFile(envFile);
	const pgPort = Number(env.QUEUE_PG_PORT);
	const query = (sql: string): Promise<string[][]> =>
		new Promise((resolve, reject) => {
			const args = ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'postgres', '-d', 'n8n', '-qAt', '-F', '\t', '-c', sql];
			execFile('psql', args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
				if (error) return reject(new Error(`psql failed: ${stderr}`));
				resolve(
					stdout
						.split('\n')
						.filter((line) => line !== '')
						.map((line) => line.split('\t')),
				);
			});
		});
	return {
		mainUrl: env.QUEUE_MAIN_URL,
		hashUrl: env.QUEUE_HASH_URL,
		roundRobinUrl: env.QUEUE_ROUND_ROBIN_URL,
		webhookUrls: [env.QUEUE_WEBHOOK_1_URL, env.QUEUE_WEBHOOK_2_URL],
		pgPort,
		freePort: Number(env.QUEUE_FREE_PORT),
		runDir: env.QUEUE_RUN_DIR,
		nginxAccessLog: env.QUEUE_NGINX_ACCESS_LOG,
		kill: (name) => runScriptAsync(['kill', name]),
		revive: (name) => runScriptAsync(['revive', name]),
		pidOf: (name) => Number(readFileSync(join(env.QUEUE_RUN_DIR, `${name}.pid`), 'utf8').trim()),
		async executions(workflowId, afterId = '0') {
			if (!/^[A-Za-z0-9]+$/.test(workflowId) || !/^[0-9]+$/.test(afterId)) throw new Error('unexpected workflow or execution id');
			const rows = await query(
				`select e.id, e.mode, e.status, e.finished, e."startedAt", e."stoppedAt", coalesce(d.data, 'null') from execution_entity e ` +
					`left join execution_data d on d."executionId" = e.id where e."workflowId" = '${workflowId}' and e.id > ${afterId} order by e.id`,
			);
			return rows.map(([id, mode, status, finished, startedAt, stoppedAt, data]) => ({
				id,
				workflowId,
				mode,
				status,
				finished: finished === 't',
				startedAt,
				stoppedAt: stoppedAt || null,
				data: data === 'null' ? undefined : (parseFlatted(data) as Execution['data']),
			}));
		},
		query,
		stop: stopAll,
	};
}

export interface SendOutcome {
	/** The first answer's status, then each retry's. */
	statuses: number[];
	/** The body of the last answer. */
	body: string;
}

export interface SenderOptions {
	/** Attempts in all (Makini retries for 24 h; the suite bounds it). */
	attempts?: number;
	/** Wait before the first retry, doubled each time (Makini: 30 s; shortened here). */
	firstRetryMs?: number;
	/** Per-attempt timeout. */
	timeoutMs?: number;
}

/**
 * POSTs a delivery to `url` and, as Makini's sender does, retries every answer that is not
 * 2xx (and every network failure) with exponential backoff, bounded in count.
 */
export async function sendLikeMakini(url: string, delivery: Delivery, options: SenderOptions = {}): Promise<SendOutcome> {
	const { attempts = 8, firstRetryMs = 500, timeoutMs = 30_000 } = options;
	const statuses: number[] = [];
	let body = '';
	for (let attempt = 0; attempt < attempts; attempt++) {
		if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, firstRetryMs * 2 ** (attempt - 1)));
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: delivery.headers,
				body: delivery.body,
				signal: AbortSignal.timeout(timeoutMs),
			});
			body = await response.text();
			statuses.push(response.status);
			if (response.status >= 200 && response.status < 300) break;
		} catch (error) {
			statuses.push(0);
			body = error instanceof Error ? error.message : String(error);
		}
	}
	return { statuses, body };
}

/** Runs `tasks` with at most `limit` in flight. */
export async function inParallel<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
	const results: T[] = new Array(tasks.length);
	let next = 0;
	const lanes = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
		while (next < tasks.length) {
			const index = next++;
			results[index] = await tasks[index]();
		}
	});
	await Promise.all(lanes);
	return results;
}
