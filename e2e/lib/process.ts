/**
 * A real n8n process for end-to-end tests: started through scripts/n8n-runtime.sh
 * (which installs this package the way n8n installs a community package), its output
 * collected in a log file, stopped with its whole process group.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
export const RUNTIME_SCRIPT = join(REPO_ROOT, 'scripts', 'n8n-runtime.sh');
/** Held while dist/ is built or packed (see scripts/n8n-runtime.sh). */
export const BUILD_LOCK = join(REPO_ROOT, '.n8n-runtime', 'build.lock');

export type N8nMajor = 1 | 2;

export interface StartN8nOptions {
	/** 2 (default): n8n 2.x on Node 24; 1: the newest n8n 1.x on Node 20. */
	major?: N8nMajor;
	/**
	 * Folder holding `.n8n`. When not given, a fresh one under .n8n-runtime/ that stop()
	 * removes (its log stays beside it) unless N8N_E2E_KEEP=1.
	 */
	userFolder?: string;
	/** 0 (default) picks a free port. */
	port?: number;
	/** Milliseconds to wait for /healthz and the package's node types. */
	timeoutMs?: number;
	/** Extra environment for n8n (e.g. N8N_LOG_LEVEL). */
	env?: Record<string, string>;
}

export interface N8nProcess {
	url: string;
	userFolder: string;
	logFile: string;
	major: N8nMajor;
	/** Milliseconds from spawn to healthy with the package's nodes served. */
	startMs: number;
	stop(): Promise<void>;
}

const READY = /^n8n-runtime: ready url=(\S+) userFolder=(.+)$/m;

/** Runs `scripts/n8n-runtime.sh <args>` to completion, throwing with its output on failure. */
export function runRuntimeScript(args: string[], major: N8nMajor = 2): string {
	const result = spawnSync('bash', [RUNTIME_SCRIPT, ...args], {
		cwd: REPO_ROOT,
		env: { ...process.env, N8N_MAJOR: String(major) },
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) {
		throw new Error(`n8n-runtime.sh ${args.join(' ')} failed (${result.status}):\n${result.stderr.slice(-4000)}`);
	}
	return result.stdout;
}

/** Builds the package (npm run build), as a user's `npm publish` would. */
export function buildPackage(): void {
	// Under the lock n8n-runtime.sh packs dist/ with: a build (which empties dist/ first)
	// must not run while another n8n of a concurrent suite installs the package.
	mkdirSync(join(REPO_ROOT, '.n8n-runtime'), { recursive: true });
	const result = spawnSync('flock', [BUILD_LOCK, 'npm', 'run', 'build', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`npm run build failed:\n${(result.stdout + result.stderr).slice(-4000)}`);
}

export function freshUserFolder(prefix = 'e2e'): string {
	const base = join(REPO_ROOT, '.n8n-runtime');
	mkdirSync(base, { recursive: true });
	return mkdtempSync(join(base, `${prefix}-`));
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is already gone.
	}
}

/** Starts n8n and resolves once it is healthy and serves this package's node types. */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nProcess> {
	const major = options.major ?? 2;
	const userFolder = options.userFolder ?? freshUserFolder(`n8n${major}`);
	const removeOnStop = options.userFolder === undefined && process.env.N8N_E2E_KEEP !== '1';
	const logFile = `${userFolder}.log`;
	const log = createWriteStream(logFile, { flags: 'a' });
	const started = Date.now();
	// Its own process group, so stopping it also stops whatever n8n spawned.
	const child = spawn(
		'bash',
		[RUNTIME_SCRIPT, 'start', '--user-folder', userFolder, '--port', String(options.port ?? 0)],
		{
			cwd: REPO_ROOT,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, ...options.env, N8N_MAJOR: String(major) },
		},
	);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	// A test runner that dies must not leave n8n behind.
	const onExit = () => killGroup(child, 'SIGKILL');
	process.once('exit', onExit);

	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		// The script forwards SIGTERM to n8n and waits for its graceful shutdown.
		if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
			try {
				process.kill(child.pid, 'SIGTERM');
			} catch {
				// Already exited.
			}
		}
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 20_000)))]);
		clearTimeout(timer);
		killGroup(child, 'SIGKILL');
		process.removeListener('exit', onExit);
		await new Promise<void>((resolve) => log.end(resolve));
		if (removeOnStop) rmSync(userFolder, { recursive: true, force: true });
	};

	const timeoutMs = options.timeoutMs ?? 300_000;
	const url = await new Promise<string>((resolve, reject) => {
		let output = '';
		const timer = setTimeout(() => fail(new Error(`n8n was not ready after ${timeoutMs} ms; log: ${logFile}`)), timeoutMs);
		const fail = (error: Error) => {
			clearTimeout(timer);
			void stop().then(() => reject(error));
		};
		const onData = (chunk: Buffer) => {
			log.write(chunk);
			output = (output + chunk.toString('utf8')).slice(-8192);
			const ready = READY.exec(output);
			if (ready) {
				clearTimeout(timer);
				resolve(ready[1]);
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.once('exit', (code, signal) =>
			fail(new Error(`n8n exited before it was ready (${signal ?? code}); log: ${logFile}\n${output.slice(-3000)}`)),
		);
	});
	return { url, userFolder, logFile, major, startMs: Date.now() - started, stop };
}
